# Sourced by setup-host.sh; needs a `log` function.
# A pid file left by a daemon that did not stop cleanly (a machine snapshot, a killed session) may name
# a pid that now belongs to some other process. dockerd then refuses to start ("pid file found") or
# waits for a containerd that is not there until "timeout waiting for containerd to start" (moby#40292).
# Remove such a file when the process it names is not the daemon it was written for.
clear_stale_pidfile() {
  local file=$1 daemon=$2 pid
  [ -f "$file" ] || return 0
  pid=$(tr -dc '0-9' <"$file")
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$daemon" ]; then
    return 0
  fi
  log "removing stale $file (pid ${pid:-none} is not $daemon)"
  rm -f "$file"
}
