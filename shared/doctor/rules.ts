import { z } from 'zod';
import { type EvidenceMatch, type Rule, type RuleInput, RuleSchema } from './rule-schema';

/**
 * The task doctor's rule table: (state, reason, source, message pattern, Mesos version, evidence) →
 * cause in plain words, fix, set-up change, and which evidence is decisive. One row per case of
 * docs/mesos/api.md §9 and docs/mesos/faults.md (their row numbers are in `refs`); message
 * patterns are built from the real strings those documents quote and the transcripts hold.
 *
 * Order matters: the first rule that matches explains the task, so a rule that needs more (a message,
 * an earlier status, a piece of evidence) comes before the plainer rule of the same status. Reasons
 * use the v1 spelling (REASON_AGENT_*): diagnose() maps v0 names (REASON_SLAVE_*) first.
 */

// ---- message patterns (real strings: docs/mesos/api.md §9, docs/mesos/faults.md, transcripts/basic) ----

/** `Failed to launch container: Failed to run 'docker -H unix:///var/run/docker.sock pull <image>': exited with status 1; stderr='…'` */
const pullFailure = (stderr: string) =>
  new RegExp(
    `^Failed to launch container: Failed to run '(?<docker>[^' ]+) -H (?<socket>\\S+) pull (?<image>[^']+)': exited with status (?<status>\\d+); stderr='(?<stderr>(?=[\\s\\S]*?(?:${stderr}))[\\s\\S]*?)'(?:; Container destroyed while pulling image)?$`,
  );
const exitedWith = (code: string) => new RegExp(`^(?<who>Container|Command) exited with status (?<code>${code})$`);
const HEALTH_CHECK = /^health check timed out$/;
const AGENT_LOST_REASONS = ['REASON_AGENT_REMOVED', 'REASON_AGENT_DISCONNECTED'];

// ---- evidence patterns (agent and master log lines, as real Mesos and the emulator write them) ----

/** docs/mesos/faults.md row 14: the agent cannot answer the executor at its advertised address. */
const EXECUTOR_UNREACHABLE_LOG = /Failed to send 'mesos\.internal\.ExecutorRegisteredMessage' to '(?<address>[^']+)', connect: (?<error>.*)$/;
/** docs/mesos/api.md §9 row 5: the agent's error when no containerizer takes the task. */
const NO_CONTAINERIZER_LOG = /None of the enabled containerizers \((?<containerizers>[^)]*)\) could create a container/;
const REGISTRATION_TIMEOUT_LOG = /Terminating executor '(?<executor>[^']+)' of framework \S+ because it did not register within (?<timeout>\S+)/;
const MARKED_UNREACHABLE_LOG = /Marking agent \S+ \([^)]*\) unreachable: (?<why>.*)$/;
const AGENT_DISCONNECTED_LOG = /Agent \S+ at \S+ \([^)]*\) disconnected$/;
const PING_FAILED_LOG = /Failed to send 'mesos\.internal\.PingSlaveMessage' to '(?<address>[^']+)'/;
const REREGISTERED_LOG = /Re-registered agent|Re-registered with master/;

/** The agent's container is stopped (or stopping) by the time of the status. */
const agentStopped: EvidenceMatch = { kind: 'docker', role: 'agent', actions: ['kill', 'die', 'stop'], latest: true };
/** The agent's container is paused by the time of the status. */
const agentPaused: EvidenceMatch = { kind: 'docker', role: 'agent', actions: ['pause'], latest: true };
/** Docker says the task's container was OOM killed (an `oom` event, or `die` with OOMKilled). */
const taskOom: EvidenceMatch = { kind: 'docker', role: 'task', actions: ['oom', 'die'], oomKilled: true };
const taskDied = (exitCode?: number): EvidenceMatch => ({ kind: 'docker', role: 'task', actions: ['die'], ...(exitCode === undefined ? {} : { exitCode }) });

const TABLE: RuleInput[] = [
  // ---------- the task's own process (docs/mesos/api.md §9 row 7, docs/mesos/faults.md rows 2, 3) ----------
  {
    id: 'oom-killed',
    refs: { api: [7], faults: ['3'] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('137'), requires: [taskOom] },
    title: 'Out of memory',
    cause:
      'The task used more memory than its {mem|limit} MB, so the kernel killed it (Docker reports OOMKilled, exit 137). Docker OOM kills carry no reason in Mesos, only the exit status.',
    fix: 'Give the task more mem (the Docker limit is its mem resource), or make it use less.',
    evidence: { decisive: [taskOom] },
  },
  {
    id: 'sigkill-137',
    refs: { api: [7], faults: ['3'] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('137') },
    title: 'Killed with SIGKILL (exit 137)',
    cause:
      'The task ended with status 137: something sent it SIGKILL. Most often that is Docker killing a container over its memory limit ({mem|its} MB), which Mesos reports without a reason; a `docker kill` does the same.',
    fix: 'If it ran out of memory, raise its mem resource. Check the task container’s Docker events for an OOM kill.',
    evidence: { decisive: [taskOom, taskDied(137)] },
  },
  {
    id: 'command-not-found',
    refs: { api: [7] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('127') },
    title: 'Command not found (exit 127)',
    cause: 'The shell could not find the command. With shell:true (the default) the image also needs /bin/sh, which replaces its entrypoint.',
    fix: 'Check the command and that the image contains it (and /bin/sh), or use shell:false with arguments.',
    evidence: { decisive: [taskDied(127)] },
  },
  {
    id: 'not-executable',
    refs: { api: [7] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('126') },
    title: 'Command not executable (exit 126)',
    cause: 'The command was found but could not be executed (no execute permission, or not a program).',
    fix: 'Make the file executable in the image, or call it through its interpreter.',
    evidence: { decisive: [taskDied(126)] },
  },
  {
    id: 'sigterm-143',
    refs: { api: [7, 11] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('143') },
    title: 'Stopped with SIGTERM (exit 143)',
    cause: 'The task ended with status 143: it was sent SIGTERM (a `docker stop` from outside Mesos) without a kill request from its framework.',
    fix: 'Find who stopped the container (its Docker events); kill tasks through their framework instead.',
    evidence: { decisive: [{ kind: 'docker', role: 'task', actions: ['kill', 'stop', 'die'] }] },
  },
  {
    id: 'nonzero-exit',
    refs: { api: [7], faults: ['2'] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: exitedWith('[1-9]\\d*') },
    title: 'The command failed (exit {code})',
    cause: 'The task’s own command exited with status {code}. Mesos and Docker worked; the application reported a failure.',
    fix: 'Read the task’s stderr and stdout in its sandbox for why it exited {code}.',
    evidence: { decisive: [taskDied()] },
  },
  {
    id: 'terminated-by-signal',
    refs: { api: [7] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: /^(?<who>Container|Command) terminated with signal (?<signal>.+)$/ },
    title: 'Terminated by a signal ({signal})',
    cause: 'The task’s process was ended by the signal {signal}, not by a kill request from its framework.',
    fix: 'Find what sent the signal (the task container’s Docker events, the agent log).',
    evidence: { decisive: [{ kind: 'docker', role: 'task', actions: ['kill', 'die'] }] },
  },
  // ---------- docker executor errors (docs/mesos/api.md §9 row 8) ----------
  {
    id: 'bad-docker-info',
    refs: { api: [8] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: /^Failed to create docker run options: (?<detail>[\s\S]+)$/ },
    title: 'Invalid Docker settings',
    cause: 'The docker executor could not turn the task’s DockerInfo into `docker run` options: {detail}.',
    fix: 'Fix the task’s container.docker (network, port_mappings within its ports resource, one network only).',
  },
  {
    id: 'docker-run-failed',
    refs: { api: [8] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: /^Failed to run docker container: (?<detail>[\s\S]+)$/ },
    title: '`docker run` failed',
    cause: 'Docker refused to run the task’s container: {detail}.',
    fix: 'Read the Docker error; try the same `docker run` by hand on the host.',
  },
  {
    id: 'exit-status-unknown',
    refs: { api: [8] },
    when: { states: ['TASK_FAILED'], reasons: [null], sources: ['SOURCE_EXECUTOR'], message: /^Failed to get exit status of container/ },
    title: 'Exit status lost',
    cause: 'The docker executor could not learn how the container ended (it vanished, or Docker did not answer).',
    fix: 'Check the task container’s Docker events: was it removed from outside?',
  },
  // ---------- resource limits (docs/mesos/api.md §9 rows 9, 10) ----------
  {
    id: 'memory-limit',
    refs: { api: [9] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LIMITATION_MEMORY'], message: /^Memory limit exceeded: Requested: (?<requested>\S+) Maximum Used: (?<used>\S+)/ },
    title: 'Memory limit exceeded',
    cause: 'The Mesos containerizer’s memory isolator stopped the task: it used {used} of the {requested} it asked for.',
    fix: 'Raise the task’s mem resource.',
  },
  {
    id: 'disk-limit',
    refs: { api: [9] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LIMITATION_DISK'], message: /^Disk usage \((?<usage>[^)]*)\) exceeds quota \((?<quota>[^)]*)\)/ },
    title: 'Disk quota exceeded',
    cause: 'The sandbox grew to {usage}, over its disk quota of {quota}.',
    fix: 'Raise the task’s disk resource, or write less into the sandbox.',
  },
  {
    id: 'container-limitation',
    refs: { api: [9] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LIMITATION'] },
    title: 'Resource limit breached',
    cause: 'An isolator stopped the task for breaching a limit: {message|no detail given}.',
    fix: 'Give the task the resource it uses (for the ports isolator: listen only on its allocated ports).',
  },
  {
    id: 'max-completion-time',
    refs: { api: [10] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_MAX_COMPLETION_TIME_REACHED'] },
    title: 'Ran past its max_completion_time',
    cause: 'The task was still running when its max_completion_time expired, so its executor ended it.',
    fix: 'Raise max_completion_time in the TaskInfo, or make the task finish sooner.',
  },
  // ---------- launching the container (docs/mesos/api.md §9 rows 1–5, docs/mesos/faults.md rows 4, 13, 15, 17) ----------
  {
    id: 'image-not-found',
    refs: { api: [2], faults: ['4'] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_CONTAINER_LAUNCH_FAILED'],
      message: pullFailure('manifest unknown|manifest for \\S+ not found|: not found|No such image'),
    },
    title: 'Image not found',
    cause: 'The agent could not pull {image}: the registry has no such image or tag (“{stderr}”).',
    fix: 'Check the image name and tag, and that it was pushed to the registry the agents pull from.',
  },
  {
    id: 'image-pull-denied',
    refs: { api: [2] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_CONTAINER_LAUNCH_FAILED'],
      message: pullFailure('pull access denied|unauthorized|authentication required|denied:'),
    },
    title: 'Image pull denied',
    cause: 'The registry refused to give {image} to the agent: it needs credentials, or (Docker Hub says it this way) the repository does not exist (“{stderr}”).',
    fix: 'Check the image name; log the Docker host in to the registry, or give the agents --docker_config with the credentials.',
  },
  {
    id: 'registry-unreachable',
    refs: { api: [2] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_CONTAINER_LAUNCH_FAILED'],
      message: pullFailure(
        'connection refused|no such host|dial tcp|i/o timeout|TLS handshake timeout|server gave HTTP response to HTTPS client|context deadline exceeded|Client\\.Timeout',
      ),
    },
    title: 'Registry unreachable',
    cause: 'The agent could not reach the registry of {image} (“{stderr}”).',
    fix: 'Check that the registry is up and reachable from the Docker host (and allowed as insecure if it is plain HTTP).',
  },
  {
    id: 'image-pull-failed',
    refs: { api: [2] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LAUNCH_FAILED'], message: pullFailure('') },
    title: 'Image pull failed',
    cause: '`docker pull {image}` failed on the agent: “{stderr}”.',
    fix: 'Read Docker’s error above; try `docker pull {image}` on the host.',
  },
  {
    id: 'pull-exceeded-registration-timeout',
    refs: { api: [1], faults: ['13'] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_CONTAINER_LAUNCH_FAILED'],
      message: /^Failed to launch container: discarded; Abnormal executor termination: unknown container$/,
    },
    title: 'Image pull slower than the executor registration timeout',
    cause:
      'The agent gave up while the image was still being pulled: the executor registration timeout ({registrationTimeout|--executor_registration_timeout}) includes the pull, and the pull took longer.',
    fix: 'Raise the agents’ executor registration timeout (5mins is a good floor for large images), or pre-pull the image on the host.',
    specChange: { setting: 'registration-timeout', atLeast: '5mins' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: REGISTRATION_TIMEOUT_LOG }], logPatterns: [REGISTRATION_TIMEOUT_LOG] },
  },
  {
    id: 'nested-container-unsupported',
    refs: { api: [3] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LAUNCH_FAILED'], message: /^Failed to launch container: [\s\S]*Nested containers are not supported/ },
    title: 'Nested containers need the Mesos containerizer',
    cause: 'A task group or nested container was sent to the Docker containerizer, which does not support them.',
    fix: 'Run task groups with the Mesos containerizer (container type MESOS).',
  },
  {
    id: 'docker-in-docker-setup',
    refs: { api: [3] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_CONTAINER_LAUNCH_FAILED'],
      message:
        /^Failed to launch container: [\s\S]*?(?<detail>Failed to create container: [\s\S]*|Failed to fork executor: [\s\S]*|Unable to get executor pid after launch[\s\S]*|Failed to determine cgroup for the 'cpu' subsystem: [\s\S]*)$/,
    },
    title: 'The agent’s container set-up is incomplete',
    cause: 'The agent could not start the executor’s container: {detail}. That points at the agent’s own container: the Docker socket, the host PID namespace or the cgroup mounts.',
    fix: 'Agents need the Docker socket mounted, pid=host and a reachable cgroup hierarchy (Mesoscope sets these; check any custom agent flags or image).',
  },
  {
    id: 'launch-during-executor-shutdown',
    refs: { api: [4] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LAUNCH_FAILED'], message: /(?:^|: )Executor terminat(?:ing|ed)$/ },
    title: 'Launched into a dying executor',
    cause: 'The executor was being shut down when the container launch finished, so the launch was abandoned.',
    fix: 'Launch the task again; it is a race, not a set-up problem.',
  },
  {
    id: 'container-launch-failed',
    refs: { api: [3] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_CONTAINER_LAUNCH_FAILED'], message: /^Failed to launch container: (?<detail>[\s\S]+)$/ },
    title: 'The container could not be launched',
    cause: 'The agent’s containerizer could not start the task’s container: {detail}.',
    fix: 'Read the containerizer’s error above and the agent log around it.',
  },
  {
    id: 'registration-timeout-unreachable-executor',
    refs: { api: [1], faults: ['14', '15'] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_EXECUTOR_REGISTRATION_TIMEOUT'],
      message: /^Executor did not register within (?<timeout>[^;]+)/,
      requires: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }],
    },
    title: 'The agent could not reach the executor',
    cause:
      'The executor started, but the agent could not answer its registration at {address} ({error}), so it never registered within {timeout}. Its advertised address (LIBPROCESS_IP / LIBPROCESS_ADVERTISE_IP) is one the agent cannot reach.',
    fix: 'Give executors an address the agent can reach: set LIBPROCESS_IP / advertise_ip to a routable address, or leave them unset.',
    specChange: { setting: 'executor-address' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }], logPatterns: [EXECUTOR_UNREACHABLE_LOG, REGISTRATION_TIMEOUT_LOG] },
  },
  {
    id: 'registration-timeout-pulling',
    refs: { api: [1] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_EXECUTOR_REGISTRATION_TIMEOUT'],
      message: /^Executor did not register within (?<timeout>[^;]+); Container destroyed while pulling image$/,
    },
    title: 'Image pull slower than the executor registration timeout',
    cause: 'The image was still being pulled when the executor registration timeout ({timeout}) ran out: the timer includes the pull.',
    fix: 'Raise the agents’ executor registration timeout (5mins is a good floor for large images), or pre-pull the image.',
    specChange: { setting: 'registration-timeout', atLeast: '5mins' },
    evidence: { logPatterns: [REGISTRATION_TIMEOUT_LOG] },
  },
  {
    id: 'executor-never-registered',
    refs: { api: [1], faults: ['15'] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_EXECUTOR_REGISTRATION_TIMEOUT'], message: /^Executor did not register within (?<timeout>[^;]+)(?:; Container killed)?$/ },
    title: 'The executor never registered',
    cause:
      'The executor was started but did not register with the agent within {timeout}: it could not reach the agent (a wrong LIBPROCESS_IP or advertised address), it is missing from --launcher_dir, or it died at start.',
    fix: 'Read the executor’s stderr in the sandbox; make sure executors can reach the agent’s address. If the image was still loading, raise the executor registration timeout.',
    specChange: { setting: 'registration-timeout', atLeast: '5mins' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: REGISTRATION_TIMEOUT_LOG }], logPatterns: [REGISTRATION_TIMEOUT_LOG, EXECUTOR_UNREACHABLE_LOG] },
  },
  {
    id: 'no-docker-containerizer',
    refs: { api: [5], faults: ['17'] },
    when: { states: ['TASK_FAILED'], reasons: ['REASON_EXECUTOR_TERMINATED'], sources: ['SOURCE_AGENT'], message: /^Abnormal executor termination: unknown container$/ },
    title: 'No containerizer on the agent accepts this task',
    cause:
      'None of the agent’s containerizers could create a container for the task. The classic case: a DOCKER task ({image|its image}) on an agent whose --containerizers lacks docker.',
    fix: 'Run the agent with --containerizers=docker,mesos (Mesoscope’s default), or send the task to an agent that has the docker containerizer.',
    specChange: { setting: 'agent-flag', flag: 'containerizers', causeIf: /^(?![\s\S]*\bdocker\b)/, suggested: 'docker,mesos' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: NO_CONTAINERIZER_LOG }], logPatterns: [NO_CONTAINERIZER_LOG] },
  },
  // ---------- the executor died (docs/mesos/api.md §9 row 6, docs/mesos/faults.md row 12) ----------
  {
    id: 'agent-restart-killed-executor',
    refs: { api: [6], faults: ['12'] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_EXECUTOR_TERMINATED'],
      message: /^Container terminated$/,
      after: { states: ['TASK_LOST', 'TASK_UNREACHABLE'], reasons: AGENT_LOST_REASONS },
    },
    title: 'The agent restarted and the executor did not survive',
    cause:
      'The agent went away (the task was {afterState|lost} first) and came back with the same work dir. Its executors had died with it (without --docker_mesos_image they run inside the agent’s container), so on recovery it ended the task.',
    fix: 'Keep agents running while tasks run. To survive agent restarts, executors must live outside the agent (--docker_mesos_image) and the framework must checkpoint.',
    evidence: { decisive: [agentStopped, { kind: 'docker', role: 'agent', actions: ['start', 'restart'] }], logPatterns: [REREGISTERED_LOG] },
  },
  {
    id: 'executor-terminated',
    refs: { api: [6] },
    when: {
      states: ['TASK_FAILED'],
      reasons: ['REASON_EXECUTOR_TERMINATED'],
      message: /^(?:Container terminated|Container killed|Executor terminated|Abnormal executor termination: (?<failure>[\s\S]+))$/,
    },
    title: 'The executor died',
    cause: 'The task’s executor ended without reporting the task (“{message}”): it crashed or was killed, for example when the agent’s container was restarted.',
    fix: 'Read the executor’s stderr in the sandbox and the agent log around the time; look for an agent restart.',
    evidence: { decisive: [agentStopped], logPatterns: [/Executor '[^']+' of framework \S+ (?:exited|terminated)/] },
  },
  {
    id: 'agent-back-task-gone',
    refs: { faults: ['12'] },
    when: { states: ['TASK_FAILED', 'TASK_GONE', 'TASK_LOST'], reasons: ['REASON_AGENT_REREGISTERED'], sources: ['SOURCE_MASTER'], message: /^Unreachable agent re-reregistered$/ },
    title: 'The agent came back without the task',
    cause: 'The agent had been unreachable; when it re-registered, the task was no longer running on it.',
    fix: 'See what happened to the agent meanwhile (its container’s events); checkpointing frameworks and --docker_mesos_image keep tasks alive across agent restarts.',
    evidence: { decisive: [agentStopped, agentPaused], logPatterns: [REREGISTERED_LOG] },
  },
  {
    id: 'io-switchboard-exited',
    refs: {},
    when: { states: ['TASK_FAILED'], reasons: ['REASON_IO_SWITCHBOARD_EXITED'] },
    title: 'The I/O switchboard died',
    cause: 'The Mesos containerizer’s I/O switchboard (for a TTY or attach) exited, taking the task with it.',
    fix: 'Read the agent log; retry without a TTY.',
  },
  // ---------- killed (docs/mesos/api.md §9 rows 11–13, docs/mesos/faults.md rows 7, 16) ----------
  {
    id: 'killed-on-request',
    refs: { api: [11], faults: ['7'] },
    when: {
      states: ['TASK_KILLED'],
      reasons: [null],
      sources: ['SOURCE_EXECUTOR'],
      message: /^(?:(?<who>Container|Command) (?:exited with status (?<code>\d+)|terminated with signal (?<signal>.+)))?$/,
    },
    title: 'Killed on request',
    cause: 'The task’s framework asked for it to be killed (a kill from the UI, or --kill_after), and the executor stopped it.',
    fix: 'Nothing is wrong. If nobody meant to kill it, see which framework sent the KILL.',
    evidence: { decisive: [{ kind: 'docker', role: 'task', actions: ['kill', 'die'] }] },
  },
  {
    id: 'framework-removed',
    refs: { api: [12], faults: ['16'] },
    when: { states: ['TASK_KILLED'], reasons: ['REASON_FRAMEWORK_REMOVED'], sources: ['SOURCE_MASTER'], message: /^Framework (?<framework>\S+) removed$/ },
    title: 'Its framework went away',
    cause:
      'The master removed the framework {framework} and killed its tasks: it was torn down, or its scheduler disconnected and its failover_timeout (0 unless set: at once) ran out.',
    fix: 'Give the framework a failover_timeout long enough to reconnect (e.g. a week) and resubscribe with its framework id.',
    evidence: { show: ['master-log', 'task-container'], logPatterns: [/Framework \S+ \([^)]*\) disconnected/, /Removing framework/] },
  },
  {
    id: 'killed-during-launch-unreachable-executor',
    refs: { api: [13], faults: ['14'] },
    when: {
      states: ['TASK_KILLED'],
      reasons: ['REASON_TASK_KILLED_DURING_LAUNCH'],
      requires: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }],
    },
    title: 'Killed while stuck: the agent could not reach the executor',
    cause:
      'The task never left STAGING: the agent could not answer its executor at {address} ({error}), so the task was never delivered, and it was killed while still launching.',
    fix: 'Give executors an address the agent can reach: set LIBPROCESS_IP / advertise_ip to a routable address, or leave them unset.',
    specChange: { setting: 'executor-address' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }], logPatterns: [EXECUTOR_UNREACHABLE_LOG] },
  },
  {
    id: 'killed-during-launch',
    refs: { api: [13] },
    when: { states: ['TASK_KILLED'], reasons: ['REASON_TASK_KILLED_DURING_LAUNCH'], mesos: { min: '1.5.0' } },
    title: 'Killed before it started',
    cause: 'A kill arrived before the task reached its executor, so it never ran.',
    fix: 'Nothing is wrong if the kill was meant. If the task was stuck launching, see what held it (the agent log, the image pull).',
  },
  {
    id: 'killed-during-launch-legacy',
    refs: { api: [13] },
    // Before 1.5 the same case carried REASON_EXECUTOR_UNREGISTERED (docs/mesos/api.md §4.3), unused since.
    when: { states: ['TASK_KILLED'], reasons: ['REASON_EXECUTOR_UNREGISTERED'], mesos: { below: '1.5.0' } },
    title: 'Killed before it started',
    cause: 'A kill arrived before the task reached its executor, so it never ran (Mesos before 1.5 reports this as REASON_EXECUTOR_UNREGISTERED).',
    fix: 'Nothing is wrong if the kill was meant. If the task was stuck launching, see what held it (the agent log, the image pull).',
  },
  {
    id: 'killed-agent-draining',
    refs: { api: [25] },
    when: { states: ['TASK_KILLED'], reasons: ['REASON_AGENT_DRAINING'] },
    title: 'Killed by an agent drain',
    cause: 'The agent is being drained, and draining kills its tasks.',
    fix: 'Run the task elsewhere, or reactivate the agent when the maintenance is done.',
  },
  // ---------- the agent went away (docs/mesos/api.md §9 rows 14–18, docs/mesos/faults.md rows 9–12) ----------
  {
    id: 'agent-stopped-disconnected',
    refs: { api: [14], faults: ['11'] },
    when: {
      states: ['TASK_LOST'],
      reasons: ['REASON_AGENT_DISCONNECTED'],
      sources: ['SOURCE_MASTER'],
      message: /^Agent (?<host>\S+) disconnected$/,
      requires: [agentStopped],
    },
    title: 'Agent stopped: task lost',
    cause:
      'The agent’s container ({agent}) stopped. Its connection to the master closed, and since the framework does not checkpoint, the master declared the task lost at once.',
    fix: 'Start the agent again (its tasks do not come back). For tasks that survive an agent restart, the framework needs checkpoint:true and the executors must outlive the agent.',
    evidence: { decisive: [agentStopped], logPatterns: [AGENT_DISCONNECTED_LOG, PING_FAILED_LOG] },
  },
  {
    id: 'agent-disconnected',
    refs: { api: [14], faults: ['11'] },
    when: { states: ['TASK_LOST'], reasons: ['REASON_AGENT_DISCONNECTED'], sources: ['SOURCE_MASTER'], message: /^Agent (?<host>\S+) disconnected$/ },
    title: 'Agent disconnected: task lost',
    cause:
      'The agent ({agent}) dropped its connection to the master (its process or container stopped or restarted). The framework does not checkpoint, so the master declared the task lost at once.',
    fix: 'Find why the agent went away (its container, its log). Frameworks that checkpoint keep their tasks across a short agent restart.',
    evidence: { decisive: [{ kind: 'log', node: 'master', pattern: AGENT_DISCONNECTED_LOG }], logPatterns: [AGENT_DISCONNECTED_LOG, PING_FAILED_LOG] },
  },
  {
    id: 'agent-paused',
    refs: { api: [15], faults: ['9', '10'] },
    when: {
      states: ['TASK_LOST', 'TASK_UNREACHABLE'],
      reasons: ['REASON_AGENT_REMOVED'],
      sources: ['SOURCE_MASTER'],
      message: HEALTH_CHECK,
      requires: [agentPaused],
    },
    title: 'Agent paused: unreachable',
    cause:
      'The agent’s container ({agent}) was paused, so it stopped answering the master’s pings. After {pings|the allowed} missed pings the master marked it unreachable and the task {stateWord}.',
    fix: 'Unpause the agent: it re-registers and the task comes back RUNNING (REASON_AGENT_REREGISTERED), as it was never stopped.',
    evidence: { decisive: [agentPaused], logPatterns: [MARKED_UNREACHABLE_LOG] },
  },
  {
    id: 'agent-stopped-unreachable',
    refs: { api: [15], faults: ['12'] },
    when: {
      states: ['TASK_LOST', 'TASK_UNREACHABLE'],
      reasons: ['REASON_AGENT_REMOVED'],
      sources: ['SOURCE_MASTER'],
      message: HEALTH_CHECK,
      requires: [agentStopped],
    },
    title: 'Agent stopped: unreachable',
    cause:
      'The agent’s container ({agent}) stopped. The framework checkpoints, so the master waited for the agent: it missed {pings|the allowed} pings and was marked unreachable, and the task {stateWord}.',
    fix: 'Start the agent again with the same work dir: it re-registers. Its executors died with it, so the task ends FAILED unless executors outlive the agent (--docker_mesos_image).',
    evidence: { decisive: [agentStopped], logPatterns: [MARKED_UNREACHABLE_LOG, PING_FAILED_LOG] },
  },
  {
    id: 'agent-unreachable',
    refs: { api: [15], faults: ['9', '10'] },
    when: { states: ['TASK_LOST', 'TASK_UNREACHABLE'], reasons: ['REASON_AGENT_REMOVED'], sources: ['SOURCE_MASTER'], message: HEALTH_CHECK, mesos: { min: '1.5.0' } },
    title: 'Agent unreachable',
    cause:
      'The agent ({agent}) stopped answering the master’s pings (stopped, paused, or cut off) and was marked unreachable; the task {stateWord}. It may still be running there.',
    fix: 'Bring the agent back: if it re-registers, the task comes back RUNNING (REASON_AGENT_REREGISTERED). Otherwise restart it on another agent.',
    evidence: { decisive: [{ kind: 'log', node: 'master', pattern: MARKED_UNREACHABLE_LOG }], logPatterns: [MARKED_UNREACHABLE_LOG, PING_FAILED_LOG] },
  },
  {
    id: 'agent-unreachable-legacy',
    refs: { api: [15] },
    // Before 1.5 a partitioned agent's tasks of non-partition-aware frameworks were killed when it came back (MESOS-7215, docs/mesos/api.md §4.4).
    when: { states: ['TASK_LOST', 'TASK_UNREACHABLE'], reasons: ['REASON_AGENT_REMOVED'], sources: ['SOURCE_MASTER'], message: HEALTH_CHECK, mesos: { below: '1.5.0' } },
    title: 'Agent unreachable',
    cause:
      'The agent ({agent}) stopped answering the master’s pings and was marked unreachable; the task {stateWord}. In this Mesos version the master kills such tasks when the agent comes back.',
    fix: 'Restart the task on another agent; find why the agent went silent.',
    evidence: { decisive: [{ kind: 'log', node: 'master', pattern: MARKED_UNREACHABLE_LOG }], logPatterns: [MARKED_UNREACHABLE_LOG] },
  },
  {
    id: 'agent-did-not-reregister',
    refs: { api: [16] },
    when: {
      states: ['TASK_LOST', 'TASK_UNREACHABLE'],
      reasons: ['REASON_AGENT_REMOVED'],
      sources: ['SOURCE_MASTER'],
      message: /^agent did not reregister within (?<timeout>\S+) after disconnecting$/,
    },
    title: 'Agent never came back',
    cause: 'The agent’s connection broke and it did not re-register within {timeout}; it may be hung in recovery.',
    fix: 'Look at the agent’s log and container; restart it (clear meta/slaves/latest if its recovery fails).',
    evidence: { decisive: [agentStopped], logPatterns: [MARKED_UNREACHABLE_LOG] },
  },
  {
    id: 'agent-unregistered',
    refs: { api: [17] },
    when: { states: ['TASK_LOST', 'TASK_GONE'], reasons: ['REASON_AGENT_REMOVED'], sources: ['SOURCE_MASTER'], message: /^Agent (?<host>\S+) removed: the agent unregistered$/ },
    title: 'Agent shut down',
    cause: 'The agent shut down cleanly (unregistered, e.g. on SIGUSR1), taking its tasks with it.',
    fix: 'Start the agent again and relaunch the task.',
    evidence: { decisive: [agentStopped] },
  },
  {
    id: 'agent-replaced',
    refs: { api: [17] },
    when: {
      states: ['TASK_LOST', 'TASK_GONE'],
      reasons: ['REASON_AGENT_REMOVED'],
      sources: ['SOURCE_MASTER'],
      message: /^Agent (?<host>\S+) removed: a new agent registered at the same address$/,
    },
    title: 'Agent replaced by a new one',
    cause: 'A new agent registered at the same address (the agent container was recreated with an empty work dir), so the old agent and its tasks were removed.',
    fix: 'Keep an agent’s work dir across container re-creations if its tasks should survive.',
  },
  {
    id: 'agent-marked-gone',
    refs: { api: [18] },
    when: {
      states: ['TASK_GONE_BY_OPERATOR', 'TASK_LOST'],
      reasons: ['REASON_AGENT_REMOVED_BY_OPERATOR', 'REASON_AGENT_REMOVED'],
      sources: ['SOURCE_MASTER'],
      message: /^Agent has been marked gone$/,
    },
    title: 'Agent marked gone by an operator',
    cause: 'An operator marked the agent gone (MARK_AGENT_GONE); Mesos does not confirm the task stopped.',
    fix: 'Relaunch the task elsewhere; the agent cannot rejoin with the same id.',
  },
  // ---------- before the launch (docs/mesos/api.md §9 rows 19–25, docs/mesos/faults.md row 6) ----------
  {
    id: 'invalid-offer',
    refs: { api: [19], faults: ['6', '6b'] },
    when: {
      states: ['TASK_LOST', 'TASK_DROPPED'],
      reasons: ['REASON_INVALID_OFFERS'],
      sources: ['SOURCE_MASTER'],
      message: /^Task launched with invalid offers: (?:Offer (?<offer>\S+) is no longer valid|No offers specified)/,
    },
    title: 'Launched on a stale offer',
    cause: 'The framework accepted an offer ({offer|none given}) the master no longer knows: already used, declined, rescinded, timed out, or from before a failover.',
    fix: 'Accept only current offers, each once; retrying with a fresh offer works.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'offer-agent-vanished',
    refs: { api: [20] },
    when: {
      states: ['TASK_LOST', 'TASK_DROPPED'],
      reasons: ['REASON_AGENT_REMOVED', 'REASON_AGENT_DISCONNECTED'],
      sources: ['SOURCE_MASTER'],
      message: /^Agent (?:removed|disconnected)$/,
    },
    title: 'The offer’s agent vanished',
    cause: 'The agent of the accepted offer went away between the offer and the launch.',
    fix: 'Retry on another offer.',
    evidence: { decisive: [agentStopped] },
  },
  {
    id: 'switch-user-missing-user',
    refs: { api: [21] },
    when: { states: ['TASK_LOST', 'TASK_DROPPED', 'TASK_FAILED'], reasons: ['REASON_EXECUTOR_TERMINATED'], message: /^Failed to chown directory to '(?<user>[^']*)'/ },
    title: 'The task’s user does not exist on the agent',
    cause: 'The agent switches to the framework’s user ({user}) for the sandbox, and that user does not exist inside the agent’s container.',
    fix: 'Run agents with --no-switch_user (Mesoscope’s default), or use the user root in the FrameworkInfo.',
    specChange: { setting: 'agent-flag', flag: 'switch_user', causeIf: /^(?:true|1)$/i, suggested: null },
  },
  {
    id: 'executor-race',
    refs: { api: [22] },
    when: {
      states: ['TASK_LOST', 'TASK_DROPPED'],
      reasons: ['REASON_EXECUTOR_TERMINATED'],
      message: /^(?:Cannot find executor|Executor terminated|No executor is expected to launch and there is none running|Master wants to launch executor, but one already exists)/,
    },
    title: 'Lost in an executor race',
    cause: 'The task met its executor coming or going (“{message}”), often right after an agent restart.',
    fix: 'Retry: it is safe.',
    evidence: { decisive: [agentStopped] },
  },
  {
    id: 'agent-restarted-during-launch',
    refs: { api: [23] },
    when: { states: ['TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_AGENT_RESTARTED'], message: /^Task launched during agent restart/ },
    title: 'The agent restarted mid-launch',
    cause: 'The task reached the agent while it was restarting and never reached an executor.',
    fix: 'Retry the launch.',
    evidence: { decisive: [{ kind: 'docker', role: 'agent', actions: ['restart', 'start'] }] },
  },
  {
    id: 'executor-reregistration-timeout',
    refs: { api: [24] },
    when: {
      states: ['TASK_GONE', 'TASK_LOST', 'TASK_FAILED'],
      reasons: ['REASON_EXECUTOR_REREGISTRATION_TIMEOUT'],
      message: /^Executor did not reregister within (?<timeout>\S+)/,
    },
    title: 'Its executor did not survive an agent restart',
    cause: 'The agent restarted and the task’s executor did not reconnect within {timeout}: it died with the agent.',
    fix: 'Executors survive agent restarts only outside the agent (--docker_mesos_image) and for checkpointing frameworks.',
    evidence: { decisive: [agentStopped, { kind: 'docker', role: 'agent', actions: ['start', 'restart'] }] },
  },
  {
    id: 'agent-draining',
    refs: { api: [25] },
    when: { states: ['TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_AGENT_DRAINING'], message: /^Task was received while agent was already draining/ },
    title: 'The agent is draining',
    cause: 'The task was sent to an agent that is being drained, which refuses new tasks.',
    fix: 'Launch on another agent, or reactivate this one.',
  },
  {
    id: 'gc-error',
    refs: {},
    when: { states: ['TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_GC_ERROR'] },
    title: 'Sandbox garbage collection got in the way',
    cause: 'A directory the task needed was scheduled for garbage collection and could not be kept.',
    fix: 'Retry the launch.',
  },
  {
    id: 'resources-unknown',
    refs: {},
    when: { states: ['TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_RESOURCES_UNKNOWN'] },
    title: 'Unknown reserved resources',
    cause: 'The task used reserved resources or volumes that the master or agent does not know.',
    fix: 'Launch with resources from a current offer.',
  },
  {
    id: 'master-disconnected',
    refs: {},
    when: { states: ['TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_MASTER_DISCONNECTED'] },
    title: 'The scheduler was not connected',
    cause: 'The scheduler driver tried to launch while it was disconnected from the master.',
    fix: 'Launch again once the scheduler is subscribed.',
  },
  {
    id: 'container-preempted',
    refs: {},
    when: { states: ['TASK_GONE', 'TASK_LOST'], reasons: ['REASON_CONTAINER_PREEMPTED'] },
    title: 'Preempted',
    cause: 'The agent’s QoS controller killed the container to reclaim revocable resources.',
    fix: 'Run on non-revocable resources if the task must not be preempted.',
  },
  {
    id: 'container-update-failed',
    refs: {},
    when: { states: ['TASK_GONE', 'TASK_LOST'], reasons: ['REASON_CONTAINER_UPDATE_FAILED'] },
    title: 'Container update failed',
    cause: 'Updating the container’s resources failed, so the agent destroyed it.',
    fix: 'Read the agent log around the time; relaunch the task.',
  },
  {
    id: 'reconciliation-unknown',
    refs: {},
    when: {
      states: ['TASK_GONE', 'TASK_UNKNOWN', 'TASK_LOST', 'TASK_GONE_BY_OPERATOR', 'TASK_UNREACHABLE'],
      reasons: ['REASON_RECONCILIATION'],
      message: /^Reconciliation: Task is (?<what>unknown to the agent|unknown|unreachable|gone)$/,
    },
    title: 'Reconciliation: task {what}',
    cause: 'Asked to reconcile, the master answered that the task is {what}: it is not running as far as Mesos knows.',
    fix: 'Relaunch it if it should be running.',
  },
  // ---------- invalid tasks (docs/mesos/api.md §9 rows 26, 27, docs/mesos/faults.md row 5) ----------
  {
    id: 'task-no-resources',
    refs: { api: [26], faults: ['5'] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], sources: ['SOURCE_MASTER'], message: /^Task uses no resources$/ },
    title: 'Task asks for no resources',
    cause: 'The TaskInfo has no resources; Mesos refuses such tasks.',
    fix: 'Give the task at least cpus and mem.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-resources-exceed-offer',
    refs: { api: [26] },
    when: {
      states: ['TASK_ERROR'],
      reasons: ['REASON_TASK_INVALID'],
      message: /^Total resources (?<requested>[\s\S]+?) required by task and its executor is more than available (?<available>[\s\S]+)$/,
    },
    title: 'Task bigger than its offer',
    cause: 'The task and its executor need {requested}, more than the offer had ({available}).',
    fix: 'Ask for less, or wait for an offer that fits (a smaller task, or a bigger agent).',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-command-xor-executor',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], message: /^Task should have at least one \(but not both\) of CommandInfo or ExecutorInfo present/ },
    title: 'Command or executor: exactly one',
    cause: 'The TaskInfo has both a command and an executor, or neither.',
    fix: 'Set exactly one of command and executor.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-duplicate-id',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], message: /^Task has duplicate ID: (?<id>.+)$/ },
    title: 'Duplicate task id',
    cause: 'Another task of the framework already has the id {id}.',
    fix: 'Use a new task id.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-reuses-unreachable-id',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], message: /^Task reuses the ID of an unreachable task: (?<id>.+)$/ },
    title: 'Task id of an unreachable task',
    cause: 'The id {id} belongs to a task on an unreachable agent, which may still come back.',
    fix: 'Use a new task id.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-invalid-container',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], message: /^Task's `ContainerInfo` is invalid: (?<detail>[\s\S]+)$/ },
    title: 'Invalid ContainerInfo',
    cause: 'The task’s container description is invalid: {detail}.',
    fix: 'Fix the TaskInfo’s container.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-invalid-resources',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_INVALID'], message: /^Task uses invalid resources: (?<detail>[\s\S]+)$/ },
    title: 'Invalid resources',
    cause: 'The task’s resources are invalid: {detail}.',
    fix: 'Fix the TaskInfo’s resources.',
    evidence: { show: ['master-log'] },
  },
  {
    id: 'task-invalid',
    refs: { api: [26] },
    when: { states: ['TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED'], reasons: ['REASON_TASK_INVALID'], message: /^(?<detail>[\s\S]+)$/ },
    title: 'Invalid task',
    cause: 'The task failed validation: {detail}.',
    fix: 'Fix the TaskInfo; retrying it unchanged fails again.',
  },
  {
    id: 'task-unauthorized',
    refs: { api: [27] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_UNAUTHORIZED'] },
    title: 'Not authorized',
    cause: 'The master’s ACLs do not allow this framework to run this task: {message|no detail given}.',
    fix: 'Change the ACLs or the framework’s principal and user.',
  },
  {
    id: 'task-group-invalid',
    refs: { api: [27] },
    when: { states: ['TASK_ERROR'], reasons: ['REASON_TASK_GROUP_INVALID', 'REASON_TASK_GROUP_UNAUTHORIZED'] },
    title: 'Task group refused',
    cause: 'The task group failed {reasonWord}: {message|no detail given}.',
    fix: 'Task groups need the default executor and the Mesos containerizer; fix the group and launch again.',
  },
  // ---------- never an update (docs/mesos/faults.md row 14) ----------
  {
    id: 'staging-unreachable-executor',
    refs: { faults: ['14'] },
    when: { states: ['TASK_STAGING'], stuck: true, requires: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }] },
    title: 'Stuck in STAGING: the agent cannot reach the executor',
    cause:
      'The executor started and tried to register, but the agent cannot answer it at {address} ({error}). No status update will ever come: the executor’s advertised address (LIBPROCESS_IP / LIBPROCESS_ADVERTISE_IP) is one the agent cannot reach.',
    fix: 'Give executors an address the agent can reach: set LIBPROCESS_IP / advertise_ip to a routable address (or leave them unset), then kill the task and launch it again.',
    specChange: { setting: 'executor-address' },
    evidence: { decisive: [{ kind: 'log', node: 'agent', pattern: EXECUTOR_UNREACHABLE_LOG }], logPatterns: [EXECUTOR_UNREACHABLE_LOG] },
  },
  {
    id: 'staging-stuck',
    refs: { faults: ['14'] },
    when: { states: ['TASK_STAGING'], stuck: true, mesos: { min: '1.5.0' } },
    title: 'Stuck in STAGING',
    cause:
      'No status update in {stagingFor}: the executor has not sent TASK_STARTING. Either the image is still being pulled, or the executor cannot register with the agent (a wrong LIBPROCESS_IP or advertised address).',
    fix: 'Look at the agent log for the launch and for failed sends to the executor; a slow pull ends at the executor registration timeout.',
    evidence: { logPatterns: [EXECUTOR_UNREACHABLE_LOG, /Launching task/, /Got assigned task/] },
  },
  {
    id: 'staging-stuck-legacy',
    refs: { faults: ['14'] },
    // Before 1.5 the built-in executors sent no TASK_STARTING: STAGING lasted through the pull (docs/mesos/api.md §0.9).
    when: { states: ['TASK_STAGING'], stuck: true, mesos: { below: '1.5.0' } },
    title: 'Still in STAGING',
    cause: 'No status update in {stagingFor}. In this Mesos version a task stays STAGING until RUNNING, so the image may still be pulling, or the executor cannot register.',
    fix: 'Look at the agent log for the pull and for failed sends to the executor.',
    evidence: { logPatterns: [EXECUTOR_UNREACHABLE_LOG, /Launching task/] },
  },
];

/** The table, validated once (a malformed row is a bug caught at start). */
export const RULES: readonly Rule[] = Object.freeze(z.array(RuleSchema).parse(TABLE));
