#!/usr/bin/env bash
# A Mesos cluster started the way a team starts its own, not by Mesoscope's engine: its own container
# names and labels, a user-defined bridge network, every HTTP port published on 127.0.0.1 at the same
# number it listens on inside (so that the hostname 127.0.0.1 each node advertises is reachable from
# this machine), and HTTP authentication on (--authenticate_http_readonly/_readwrite; the master reads
# --credentials, the agent --http_credentials: the flag names differ in Mesos 1.12), for frameworks too
# (--authenticate_http_frameworks with --http_framework_authenticators=basic: a SUBSCRIBE on
# /api/v1/scheduler without the credentials is a 401). Masters and agent 1 write their Mesos log
# (--log_dir, served as /master/log and /slave/log); agent 2 does not, as many clusters' agents do not.
#
#   plain-cluster.sh up NAME IMAGE BASE_PORT [--ha] [--docker]   # 1 master (or 3 + ZooKeeper) and 2 agents
#   plain-cluster.sh down NAME
#
# --docker: the agents also run DOCKER tasks on this host's daemon (its socket mounted, the docker
# containerizer), each with its work dir at the same path on the host and inside (the daemon resolves
# a task's sandbox bind on the host), so unix:///var/run/docker.sock is their honest Docker endpoint.
#
# Masters listen on BASE_PORT (…+2 with --ha), agents on BASE_PORT+10 and +11. The credentials are
# PLAIN_PRINCIPAL / PLAIN_SECRET (default ops / s3cret). Used by the attach tests; no Mesoscope label.
set -euo pipefail

cmd="${1:-}"; name="${2:-}"
[ -n "$cmd" ] && [ -n "$name" ] || { sed -n '12,13p' "$0" >&2; exit 2; }
label="io.mesoscope-test.plain-cluster=$name"

if [ "$cmd" = down ]; then
  ids="$(docker ps -aq --filter "label=$label")"
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
  docker network rm "$name-net" >/dev/null 2>&1 || true
  # Task containers of --docker agents (the docker containerizer names them mesos-…, no label of ours):
  # only those whose sandbox lies in this cluster's directory.
  for id in $(docker ps -aq --filter name=mesos-); do
    docker inspect -f '{{range .Mounts}}{{.Source}} {{end}}' "$id" 2>/dev/null | grep -q "${TMPDIR:-/tmp}/plain-cluster-$name/" && docker rm -f "$id" >/dev/null
  done
  rm -rf "${TMPDIR:-/tmp}/plain-cluster-$name"
  exit 0
fi
[ "$cmd" = up ] || { echo "plain-cluster.sh: unknown command '$cmd'" >&2; exit 2; }

image="${3:?IMAGE}"; base="${4:?BASE_PORT}"; ha=""; with_docker=""
for opt in "${@:5}"; do
  case "$opt" in
    --ha) ha=--ha ;;
    --docker) with_docker=1 ;;
    *) echo "plain-cluster.sh: unknown option '$opt'" >&2; exit 2 ;;
  esac
done
principal="${PLAIN_PRINCIPAL:-ops}"; secret="${PLAIN_SECRET:-s3cret}"
dir="${TMPDIR:-/tmp}/plain-cluster-$name"
mkdir -p "$dir"
printf '{"credentials":[{"principal":"%s","secret":"%s"}]}\n' "$principal" "$secret" >"$dir/credentials.json"
chmod 0644 "$dir/credentials.json"

docker network create --label "$label" "$name-net" >/dev/null
auth=(--authenticate_http_readonly --authenticate_http_readwrite)
frameworks=(--authenticate_http_frameworks --http_framework_authenticators=basic)
run() { docker run -d --label "$label" --network "$name-net" "$@" >/dev/null; }

if [ "$ha" = --ha ]; then
  run --name "$name-zk" --hostname "$name-zk" -e ZOO_PORT=2181 mesoscope/zookeeper:test
  masters=3
  where="zk://$name-zk:2181/mesos"
else
  masters=1
  where="$name-master1:$base"
fi

for i in $(seq 1 "$masters"); do
  port=$((base + i - 1))
  if [ "$masters" = 1 ]; then registry=(--registry=in_memory); else registry=(--zk="$where" --quorum=2 --registry=replicated_log); fi
  run --name "$name-master$i" --hostname "$name-master$i" -p "127.0.0.1:$port:$port" \
    -v "$dir/credentials.json:/etc/mesos/credentials.json:ro" --entrypoint mesos-master "$image" \
    --ip=0.0.0.0 --port="$port" --hostname=127.0.0.1 --work_dir=/var/lib/mesos/master --cluster="$name" \
    "${registry[@]}" "${auth[@]}" "${frameworks[@]}" --credentials=/etc/mesos/credentials.json --log_dir=/var/log/mesos
done

for j in 1 2; do
  port=$((base + 9 + j))
  logs=(); [ "$j" = 1 ] && logs=(--log_dir=/var/log/mesos)
  work=/var/lib/mesos/agent; docker_run=(); docker_flags=(--containerizers=mesos)
  if [ -n "$with_docker" ]; then
    work="$dir/agent$j"; mkdir -p "$work"
    # The agent finds tasks by the host PIDs docker inspect reports; several agents share one daemon,
    # so none may kill the others' containers as orphans at its start.
    docker_run=(-v /var/run/docker.sock:/var/run/docker.sock -v "$work:$work" --pid host --init --cap-add SYS_ADMIN --cap-add SYS_PTRACE)
    docker_flags=(--containerizers=docker,mesos --docker=/usr/local/bin/docker --docker_socket=/var/run/docker.sock --docker_kill_orphans=false)
  fi
  run --name "$name-agent$j" --hostname "$name-agent$j" -p "127.0.0.1:$port:$port" ${docker_run[@]+"${docker_run[@]}"} \
    -v "$dir/credentials.json:/etc/mesos/credentials.json:ro" --entrypoint mesos-agent "$image" \
    --master="$where" --ip=0.0.0.0 --port="$port" --hostname=127.0.0.1 --work_dir="$work" \
    "${docker_flags[@]}" --launcher=posix --isolation=posix/cpu,posix/mem --switch_user=false \
    --systemd_enable_support=false --resources="cpus:2;mem:1024;disk:2048;ports:[$((31000 + j * 100))-$((31099 + j * 100))]" \
    --attributes="rack:r$j" "${auth[@]}" --http_credentials=/etc/mesos/credentials.json ${logs[@]+"${logs[@]}"}
done
echo "plain-cluster $name: masters on 127.0.0.1:$base${ha:+..$((base + 2))}, agents on $((base + 10)) and $((base + 11))"
