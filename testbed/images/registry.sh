#!/usr/bin/env bash
# The loopback registry for Mesoscope's tests: Debian's docker-registry on the host, at 127.0.0.1:5000,
# with our own config (registry/config.yml: loopback only, no auth, delete enabled) and its storage in
# the cache. Idempotent: a registry that already answers is left alone.
#
# Usage: testbed/images/registry.sh [start|seed|stop|status]
#   (none)  start, then seed
#   start   install docker-registry from Debian if missing, start it in the background, wait for it
#   seed    push mesoscope/task-base:test as 127.0.0.1:5000/mesoscope/task-base:test (if not there yet)
#   stop    stop the registry this script started
#   status  exit 0 if the registry answers
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${MESOSCOPE_CACHE:-$HOME/.cache/mesoscope}"
ADDR=127.0.0.1:5000
BIN=/usr/bin/docker-registry
CONFIG="$HERE/registry/config.yml"
STORAGE="$CACHE/registry"
LOG="$CACHE/logs/registry.log"
PIDFILE="$CACHE/registry.pid"
SEED_SRC=mesoscope/task-base:test
SEED_DST=$ADDR/mesoscope/task-base:test

log() { printf 'registry: %s\n' "$*"; }
die() { printf 'registry: error: %s\n' "$*" >&2; exit 1; }

command -v curl >/dev/null || die "curl is needed (apt-get install curl)"

answers() { curl -fsS -m 2 -o /dev/null "http://$ADDR/v2/" 2>/dev/null; }

policy_created=0
drop_policy() { if [ "$policy_created" = 1 ]; then rm -f /usr/sbin/policy-rc.d; policy_created=0; fi; }
trap drop_policy EXIT

install_registry() {
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null \
    || die "$BIN is missing; install Debian's docker-registry package (2.8) as root"
  # The package's postinst starts its init script with the packaged config (all addresses, htpasswd);
  # a policy-rc.d that says 101 stops that. An existing policy-rc.d is the admin's and stays as it is.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    policy_created=1
  fi
  log "installing docker-registry from Debian"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null 2>&1 || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-registry >/dev/null
  } || die "apt-get install docker-registry failed"
  drop_policy
  [ -x "$BIN" ] || die "docker-registry was installed but $BIN is missing"
}

our_pid() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/exe" 2>/dev/null || true)" = "$BIN" ] && echo "$pid"
  return 0
}

start() {
  if answers; then
    log "answers at http://$ADDR/v2/"
    return
  fi
  [ -x "$BIN" ] || install_registry
  mkdir -p "$STORAGE" "$(dirname "$LOG")"
  log "starting $BIN at $ADDR (storage: $STORAGE, log: $LOG)"
  # The environment variable overrides storage.filesystem.rootdirectory in the config. Descriptors
  # above 2 are closed so the daemon holds no caller's pipe or lock (build.sh's lock, a CI log pipe).
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
    done
    REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$STORAGE" exec setsid "$BIN" serve "$CONFIG"
  ) >>"$LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$PIDFILE"
  for _ in $(seq 1 100); do
    if answers; then
      log "answers at http://$ADDR/v2/ (pid $pid)"
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 15 "$LOG" >&2
  kill -0 "$pid" 2>/dev/null && kill "$pid"
  rm -f "$PIDFILE"
  die "docker-registry did not answer at http://$ADDR/v2/ (last log lines above; is port 5000 taken?)"
}

seed() {
  answers || die "no registry answers at $ADDR (run: $0 start)"
  docker image inspect "$SEED_SRC" >/dev/null 2>&1 \
    || die "$SEED_SRC is missing (build it: testbed/images/build.sh --only task-base)"
  local previous
  previous="$(docker image inspect -f '{{.Id}}' "$SEED_DST" 2>/dev/null || true)"
  docker tag "$SEED_SRC" "$SEED_DST"
  if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect -f '{{.Id}}' "$SEED_DST")" ]; then
    docker rmi "$previous" >/dev/null 2>&1 || true   # an older task-base, untagged now
  fi
  local repo="${SEED_DST%:*}" remote
  remote="$(curl -fsS -m 5 -o /dev/null -D - \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$ADDR/v2/${repo#"$ADDR"/}/manifests/${SEED_DST##*:}" 2>/dev/null \
    | tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' || true)"
  if [ -n "$remote" ] && docker image inspect -f '{{range .RepoDigests}}{{println .}}{{end}}' "$SEED_SRC" \
      | grep -qx "$repo@$remote"; then
    log "$SEED_DST: up to date"
    return
  fi
  local t0=$SECONDS plog="$CACHE/logs/registry-push.log"
  if ! docker push "$SEED_DST" >"$plog" 2>&1; then
    tail -n 15 "$plog" >&2
    die "docker push $SEED_DST failed (last lines above)"
  fi
  log "$SEED_DST: pushed in $((SECONDS - t0)) s"
}

stop() {
  local pid
  pid="$(our_pid)"
  if [ -z "$pid" ]; then
    answers && die "a registry answers at $ADDR but was not started by this script (no live pid in $PIDFILE)"
    log "not running"
    return
  fi
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$PIDFILE"
  log "stopped (pid $pid)"
}

case "${1:-all}" in
  all) start; seed ;;
  start) start ;;
  seed) seed ;;
  stop) stop ;;
  status) if answers; then log "answers at http://$ADDR/v2/"; else log "not answering at $ADDR"; exit 1; fi ;;
  -h|--help) sed -n '6,11p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) printf 'registry: error: unknown command %s (known: start, seed, stop, status)\n' "'$1'" >&2; exit 2 ;;
esac
