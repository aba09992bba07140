#!/usr/bin/env bash
# Build Mesoscope's offline test images from Debian's archive alone (no registry is ever pulled from),
# then start the loopback registry and seed it (registry.sh). Idempotent: an image whose inputs have
# not changed is skipped, so a second run takes seconds. See README.md beside this file.
#
# Usage: testbed/images/build.sh [--only NAME]... [--no-registry] [--force]
#   NAME: base | task-base | redis | zookeeper | mesos-emulator | mesos | registry
# mesos (real Apache Mesos, mesoscope/mesos:1.12.0) is built when MESOS_DIST names a folder holding the
# distribution's tarball (mesos-*.tar.xz); without MESOS_DIST it is left out, with a line saying so.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${MESOSCOPE_CACHE:-${HOME:?set HOME or MESOSCOPE_CACHE}/.cache/mesoscope}"
LOGS="$CACHE/logs"

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
BASE_IMAGE=mesoscope/debian-base:$SUITE
ROOTFS="$CACHE/rootfs-$SUITE"
HASH_LABEL=io.mesoscope.input-hash

EMULATOR_BUILD="$REPO/testbed/mesos-emulator/build.mjs"
EMULATOR_BUNDLE="$REPO/testbed/mesos-emulator/dist/mesos-emulator.cjs"

# The legacy builder never pulls a base image that is present locally, works with every docker CLI
# (BuildKit needs the buildx plugin, absent from Debian's docker.io) and keeps RUN --network host.
export DOCKER_BUILDKIT=0

log() { printf 'images: %s\n' "$*"; }
die() { printf 'images: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '6,9p' "$0" | sed 's/^# \{0,1\}//'; }
usage_error() { usage >&2; printf 'images: error: %s\n' "$*" >&2; exit 2; }

only=()
want_registry=1
force=0
while [ $# -gt 0 ]; do
  case "$1" in
    --only)
      [ $# -ge 2 ] || usage_error "--only needs a name (base, task-base, redis, zookeeper, mesos-emulator, mesos, registry)"
      case "$2" in
        base|task-base|redis|zookeeper|mesos-emulator|mesos|registry) only+=("$2") ;;
        *) usage_error "unknown image '$2' (known: base, task-base, redis, zookeeper, mesos-emulator, mesos, registry)" ;;
      esac
      shift 2 ;;
    --no-registry) want_registry=0; shift ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
done

selected() {
  [ ${#only[@]} -eq 0 ] && return 0
  local n
  for n in "${only[@]}"; do [ "$n" = "$1" ] && return 0; done
  return 1
}

command -v docker >/dev/null || die "docker CLI not found (run scripts/setup-host.sh first)"
timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1 \
  || die "no Docker daemon answers (run scripts/setup-host.sh first)"
mkdir -p "$CACHE" "$LOGS"

tmp_dirs=()
debootstrap_dir=
cleanup() {
  local d
  for d in "${tmp_dirs[@]+"${tmp_dirs[@]}"}"; do rm -rf "$d"; done
  if [ -n "$debootstrap_dir" ]; then umount_under "$debootstrap_dir"; rm -rf "$debootstrap_dir"; fi
}
trap cleanup EXIT

# One build at a time per cache (CI and a developer, say): a second run waits, then finds little to do.
exec 9>"$CACHE/build.lock"
if ! flock -n 9; then
  log "another build.sh is running with this cache; waiting"
  flock 9
fi

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }
image_hash() { docker image inspect -f "{{index .Config.Labels \"$HASH_LABEL\"}}" "$1" 2>/dev/null || true; }
image_size() {
  docker image inspect -f '{{.Size}}' "$1" | awk '{ mb = $1 / 1e6; printf (mb < 10 ? "%.1f MB" : "%.0f MB"), mb }'
}

# A directory's files as "path mode sha256" lines, in a stable order.
dir_listing() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | while IFS= read -r -d '' f; do
    printf '%s %s %s\n' "$f" "$(stat -c %a "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)"
  done)
}

# ---------------------------------------------------------------------------------------------------
# base: debootstrap (cached) + docker import

# Runs on a fresh debootstrap before it is cached; its text is part of the cache key, so editing it
# rebuilds the rootfs.
prepare_rootfs() {
  local root="$1"
  cat >"$root/etc/apt/sources.list" <<EOF
deb http://deb.debian.org/debian $SUITE main
deb http://deb.debian.org/debian $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
  # As in Debian's official images: no package caches, no doc clutter in derived layers.
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  # Host-specific files that docker provides at run time.
  rm -f "$root/etc/hostname" "$root/etc/resolv.conf" "$root/etc/machine-id"
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
    "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/dev/*
}

rootfs_key() {
  { echo "$SUITE minbase $MIRROR"; declare -f prepare_rootfs; } | sha256sum | cut -d' ' -f1
}

umount_under() {
  local m
  # Deepest first; a killed debootstrap leaves proc/sys mounted inside its target.
  findmnt -rn -o TARGET | awk -v p="$1/" 'index($0, p) == 1' | sort -r | while read -r m; do
    umount -l "$m" || true
  done
}

ensure_rootfs() {
  local key="$1"
  if [ -d "$ROOTFS" ] && [ "$(cat "$ROOTFS.key" 2>/dev/null)" = "$key" ]; then
    return
  fi
  [ "$(id -u)" = 0 ] || die "debootstrap needs root (no cached rootfs at $ROOTFS)"
  if ! command -v debootstrap >/dev/null; then
    command -v apt-get >/dev/null || die "debootstrap is missing and this is not a Debian host; install debootstrap"
    log "installing debootstrap from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 || {
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
    } || die "apt-get install debootstrap failed"
  fi
  local work="$ROOTFS.tmp" dlog="$LOGS/debootstrap.log" t0=$SECONDS
  umount_under "$work"
  rm -rf "$work"
  debootstrap_dir="$work"
  log "debootstrap $SUITE (minbase) into $work (log: $dlog)"
  if ! debootstrap --variant=minbase "$SUITE" "$work" "$MIRROR" >"$dlog" 2>&1; then
    umount_under "$work"
    tail -n 15 "$dlog" >&2
    [ -f "$work/debootstrap/debootstrap.log" ] && tail -n 15 "$work/debootstrap/debootstrap.log" >&2
    die "debootstrap failed (last lines above; full log: $dlog)"
  fi
  umount_under "$work"
  prepare_rootfs "$work"
  umount_under "$ROOTFS"
  rm -rf "$ROOTFS"
  mv "$work" "$ROOTFS"
  debootstrap_dir=
  echo "$key" >"$ROOTFS.key"
  log "debootstrap done in $((SECONDS - t0)) s"
}

build_base() {
  local key t0=$SECONDS
  key="$(rootfs_key)"
  if [ "$force" = 0 ] && [ "$(image_hash "$BASE_IMAGE")" = "$key" ]; then
    log "$BASE_IMAGE: up to date"
    return
  fi
  ensure_rootfs "$key"
  local old
  old="$(image_id "$BASE_IMAGE")"
  tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --change "LABEL $HASH_LABEL=$key" \
    - "$BASE_IMAGE" >/dev/null || die "docker import of $ROOTFS failed"
  remove_if_replaced "$old" "$BASE_IMAGE"
  log "$BASE_IMAGE: built in $((SECONDS - t0)) s ($(image_size "$BASE_IMAGE"))"
}

# ---------------------------------------------------------------------------------------------------
# derived images

remove_if_replaced() {
  local old="$1" tag="$2"
  if [ -n "$old" ] && [ "$old" != "$(image_id "$tag")" ]; then
    docker rmi "$old" >/dev/null 2>&1 || true   # still used by a container or image: leave it
  fi
}

# build_image NAME TAG CONTEXT_DIR: docker build unless an image with the same input hash exists. The
# hash covers the base image id and every file of the context; the inputs are kept in $LOGS/NAME.inputs
# to tell why an image was rebuilt.
build_image() {
  local name="$1" tag="$2" ctx="$3"
  local base_id hash old blog="$LOGS/$name.log" inputs="$LOGS/$name.inputs" t0=$SECONDS
  base_id="$(image_id "$BASE_IMAGE")"
  [ -n "$base_id" ] || die "$BASE_IMAGE is missing (build it: $0 --only base)"
  { echo "base $base_id"; dir_listing "$ctx"; } >"$inputs.new"
  hash="$(sha256sum <"$inputs.new" | cut -d' ' -f1)"
  if [ "$force" = 0 ] && [ "$(image_hash "$tag")" = "$hash" ]; then
    rm -f "$inputs.new"
    log "$tag: up to date"
    return
  fi
  if [ -f "$inputs" ]; then diff "$inputs" "$inputs.new" >"$inputs.diff" || true; fi
  mv "$inputs.new" "$inputs"
  old="$(image_id "$tag")"
  log "$tag: building (log: $blog)"
  if ! docker build --network host --force-rm --label "$HASH_LABEL=$hash" -t "$tag" "$ctx" >"$blog" 2>&1; then
    tail -n 25 "$blog" >&2
    die "docker build of $tag failed (last lines above; full log: $blog)"
  fi
  remove_if_replaced "$old" "$tag"
  log "$tag: built in $((SECONDS - t0)) s ($(image_size "$tag"))"
}

# The bundle stamps its build time, so rebuilding it on every run would rebuild the image too: run
# build.mjs only when the bundle is missing or older than a source (or with --force), like make.
bundle_stale() {
  if [ "$force" = 1 ] || [ ! -f "$EMULATOR_BUNDLE" ]; then return 0; fi
  local dir newer
  dir="$(dirname "$EMULATOR_BUILD")"
  newer="$(find "$dir" \( -path "$dir/dist" -o -path "$dir/test" -o -name node_modules \) -prune \
    -o -type f -newer "$EMULATOR_BUNDLE" -print -quit)"
  [ -n "$newer" ] || { [ -f "$REPO/package-lock.json" ] && [ "$REPO/package-lock.json" -nt "$EMULATOR_BUNDLE" ]; }
}

build_emulator() {
  if [ -f "$EMULATOR_BUILD" ] && bundle_stale; then
    command -v node >/dev/null || die "node is needed to run $EMULATOR_BUILD"
    local elog="$LOGS/mesos-emulator-bundle.log"
    if ! (cd "$REPO" && node "$EMULATOR_BUILD") >"$elog" 2>&1; then
      tail -n 25 "$elog" >&2
      die "node $EMULATOR_BUILD failed (last lines above; full log: $elog)"
    fi
  fi
  if [ ! -f "$EMULATOR_BUNDLE" ]; then
    if [ -f "$EMULATOR_BUILD" ]; then
      die "$EMULATOR_BUILD ran but did not produce $EMULATOR_BUNDLE"
    fi
    die "cannot build mesoscope/mesos-emulator:test: missing $EMULATOR_BUILD (it builds $EMULATOR_BUNDLE)"
  fi
  # The bundle lives outside this directory: assemble a small context instead of sending the repo.
  local ctx
  ctx="$(mktemp -d "${TMPDIR:-/tmp}/mesoscope-emulator-ctx.XXXXXX")"
  tmp_dirs+=("$ctx")
  cp -a "$HERE/mesos-emulator/." "$ctx/"
  cp "$EMULATOR_BUNDLE" "$ctx/mesos-emulator.cjs"
  build_image mesos-emulator mesoscope/mesos-emulator:test "$ctx"
}

# Real Apache Mesos from a prebuilt install tree (test equipment, like the emulator). The context is
# this folder's Dockerfile plus the tarball, so the input hash covers the tarball's bytes: a second run
# with the same tarball is a no-op.
MESOS_IMAGE=mesoscope/mesos:1.12.0
build_mesos() {
  if [ -z "${MESOS_DIST:-}" ]; then
    if [ -n "$(image_id "$MESOS_IMAGE")" ]; then
      log "$MESOS_IMAGE: kept as it is (MESOS_DIST is not set)"
    else
      log "$MESOS_IMAGE: not built: MESOS_DIST is not set (a folder holding mesos-*.tar.xz); the real-Mesos tests will not run"
    fi
    return
  fi
  [ -d "$MESOS_DIST" ] || die "MESOS_DIST=$MESOS_DIST is not a folder"
  local tarballs=("$MESOS_DIST"/mesos-*.tar.xz)
  [ -f "${tarballs[0]}" ] || die "MESOS_DIST=$MESOS_DIST holds no mesos-*.tar.xz"
  [ ${#tarballs[@]} -eq 1 ] || die "MESOS_DIST=$MESOS_DIST holds ${#tarballs[@]} mesos-*.tar.xz; keep one"
  local ctx
  ctx="$(mktemp -d "${TMPDIR:-/tmp}/mesoscope-mesos-ctx.XXXXXX")"
  tmp_dirs+=("$ctx")
  cp -a "$HERE/mesos/." "$ctx/"
  cp "${tarballs[0]}" "$ctx/mesos.tar.xz"
  build_image mesos "$MESOS_IMAGE" "$ctx"
}

# ---------------------------------------------------------------------------------------------------

t_start=$SECONDS
needs_base=0
for n in task-base redis zookeeper mesos-emulator mesos; do selected "$n" && needs_base=1; done
if selected base || { [ "$needs_base" = 1 ] && [ -z "$(image_id "$BASE_IMAGE")" ]; }; then build_base; fi
if selected task-base; then build_image task-base mesoscope/task-base:test "$HERE/task-base"; fi
if selected redis; then build_image redis mesoscope/redis:test "$HERE/redis"; fi
if selected zookeeper; then build_image zookeeper mesoscope/zookeeper:test "$HERE/zookeeper"; fi
if selected mesos-emulator; then build_emulator; fi
if selected mesos; then build_mesos; fi
# Untagged leftovers: build stages of multi-stage builds, and a replaced base image once nothing is
# built on it any more. All carry the hash label (build stages inherit the base image's).
docker image prune -f --filter "label=$HASH_LABEL" >/dev/null 2>&1 || true
if [ "$want_registry" = 1 ] && selected registry; then
  MESOSCOPE_CACHE="$CACHE" "$HERE/registry.sh" 9>&-
fi
log "done in $((SECONDS - t_start)) s"
