#!/usr/bin/env bash
# Make sure this machine has what Mesoscope's tests (and the web host) need: a Docker daemon that
# answers, and Chromium for the Playwright e2e tests. Idempotent and fast when everything is there.
#
# On Debian as root it installs what is missing from Debian's archive (docker.io, chromium) and starts
# dockerd in the background when no daemon answers. Anywhere else it prints what to install and fails.
#
# Usage: scripts/setup-host.sh [--no-browser] [--soft]
#   --no-browser  only Docker (what the app itself needs)
#   --soft        when something cannot be set up, say what to do but exit 0 (the app shows Docker's
#                 state itself; used by `npm run start:web`)
set -euo pipefail

want_browser=1
soft=0
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    --soft) soft=1 ;;
    *) echo "setup-host: unknown option '$arg' (known: --no-browser, --soft)" >&2; exit 2 ;;
  esac
done

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/mesoscope-dockerd.log}"

log() { printf 'setup-host: %s\n' "$*"; }
# shellcheck source=host/stale-pidfile.sh
. "$(dirname "$0")/host/stale-pidfile.sh"
die() {
  printf 'setup-host: %s\n' "$*" >&2
  [ "$soft" = 1 ] && exit 0
  exit 1
}

is_debian_root() { [ -r /etc/debian_version ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "installing from Debian: $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

docker_answers() {
  command -v docker >/dev/null && timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1
}

ensure_docker() {
  if docker_answers; then
    log "Docker daemon answers (engine $(docker version --format '{{.Server.Version}}'))"
    return
  fi
  if ! is_debian_root; then
    die "no Docker daemon answers${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}. Install Docker Engine (https://docs.docker.com/engine/install/) or Docker Desktop, start it, and make sure your user may use its socket."
  fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "no Docker daemon answers at DOCKER_HOST=$DOCKER_HOST; start that daemon or unset DOCKER_HOST."
  fi
  command -v dockerd >/dev/null || apt_install docker.io
  command -v docker >/dev/null || apt_install docker.io
  if pgrep -x dockerd >/dev/null; then
    log "dockerd is running but does not answer yet; waiting"
  else
    clear_stale_pidfile /var/run/docker.pid dockerd
    clear_stale_pidfile /var/run/docker/containerd/containerd.pid containerd
    log "starting dockerd (log: $DOCKERD_LOG)"
    # No systemd here: run the daemon detached so it outlives this script.
    setsid nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    if docker_answers; then
      log "Docker daemon answers (engine $(docker version --format '{{.Server.Version}}'))"
      return
    fi
    sleep 1
  done
  tail -n 20 "$DOCKERD_LOG" >&2 || true
  die "dockerd did not answer within 60 s (see $DOCKERD_LOG)"
}

ensure_browser() {
  if [ -x "$CHROMIUM_PATH" ]; then
    log "Chromium present ($CHROMIUM_PATH)"
    return
  fi
  if [ "$CHROMIUM_PATH" = /usr/bin/chromium ] && is_debian_root; then
    apt_install chromium
    [ -x "$CHROMIUM_PATH" ] || die "chromium was installed but $CHROMIUM_PATH is missing"
    log "Chromium installed ($CHROMIUM_PATH)"
    return
  fi
  die "Chromium not found at $CHROMIUM_PATH. Install Chromium (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to its binary."
}

ensure_docker
[ "$want_browser" = 1 ] && ensure_browser
exit 0
