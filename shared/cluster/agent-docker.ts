/**
 * The docker CLI and socket every agent the engine starts is given (`--docker`, `--docker_socket`):
 * the avhost image keeps its client in /usr/local/bin, and the host's socket is mounted at the usual
 * path. The agent names both in its pull failures (docs/mesos/faults.md row 4), so the fault table needs them too.
 */
export const AGENT_DOCKER_CLI = '/usr/local/bin/docker';
export const AGENT_DOCKER_SOCKET = '/var/run/docker.sock';
