#!/usr/bin/env bash
# .ci/provision.sh - install everything the real-validator and real-stack tests need.
#
# Idempotent and cached: a second run installs nothing and takes a few seconds.
#
#   bash .ci/provision.sh            # as root (apt-get needs it), CI=true or not
#
# Cache folder: ${MESSENGER_STACK_CACHE:-/var/cache/messenger-stack}
#   synapse-venv/              Python venv with matrix-synapse[postgres,redis]==$SYNAPSE_VERSION
#   bin/livekit-server         built from the Go module proxy at $LIVEKIT_VERSION
#   bin/lk-jwt-service         only if the Go module proxy serves it (see lk-jwt-service.proxy.txt)
#   env.sh                     absolute paths for the tests (source it, or parse KEY=VALUE lines)
#
# Environment knobs (all optional):
#   MESSENGER_STACK_CACHE          cache folder (default /var/cache/messenger-stack)
#   SYNAPSE_BASE_PYTHON            interpreter for the venv (default /usr/bin/python3, else python3)
#   MESSENGER_STACK_RECHECK_LK_JWT set to 1 to ask the Go module proxy about lk-jwt-service again
#
# Network use is limited to Debian apt, PyPI and the Go module proxy; every network step is
# bounded with `timeout`.
set -euo pipefail

export SYNAPSE_VERSION="1.163.2"
export LIVEKIT_VERSION="1.13.5"
LK_JWT_MODULE="github.com/element-hq/lk-jwt-service"
LK_JWT_CANDIDATES=(v0.6.0 v0.5.0 latest)

CACHE="${MESSENGER_STACK_CACHE:-/var/cache/messenger-stack}"
BIN_DIR="$CACHE/bin"
VENV="$CACHE/synapse-venv"
ENV_FILE="$CACHE/env.sh"
LK_JWT_ANSWER_FILE="$CACHE/lk-jwt-service.proxy.txt"

export DEBIAN_FRONTEND=noninteractive
export PATH="$PATH:/usr/local/go/bin:/usr/local/sbin:/usr/sbin:/sbin"
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:--buildvcs=false}"

APT_PACKAGES=(
  nginx shellcheck docker-compose yamllint redis-server redis-tools postgresql
  openssl iproute2 util-linux hyperfine curl ca-certificates
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
  quiet apt-update timeout 600 apt-get "${apt_opts[@]}" update \
    || log "apt-get update failed; trying install anyway"
  quiet apt-install timeout 1200 apt-get "${apt_opts[@]}" -y --no-install-recommends \
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
  quiet pip-synapse timeout 1500 "$VENV/bin/python" -m pip install --no-input \
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

# go_download MODULE@VERSION: sets GO_DL_DIR, GO_DL_VERSION, GO_DL_ERR, GO_DL_RC; 0 if served.
GO_DL_DIR=""
GO_DL_ERR=""
GO_DL_VERSION=""
GO_DL_RC=0
go_download() {
  local spec="$1" json work
  work="$(tmp_dir)"
  GO_DL_DIR="" GO_DL_ERR="" GO_DL_VERSION="" GO_DL_RC=0
  # Run outside any module so the repo's own files cannot interfere.
  json="$(cd "$work" && GOWORK=off timeout 600 go mod download -json "$spec" 2>&1)" || GO_DL_RC=$?
  GO_DL_DIR="$(json_field Dir <<<"$json")"
  GO_DL_ERR="$(json_field Error <<<"$json")"
  GO_DL_VERSION="$(json_field Version <<<"$json")"
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

step_livekit() {
  local bin="$BIN_DIR/livekit-server" have
  have="$(livekit_version_of "$bin" || true)"
  if [[ "$have" == *" $LIVEKIT_VERSION" ]]; then
    log "livekit-server $LIVEKIT_VERSION already built ($bin)"
    return 0
  fi
  need_go
  log "building livekit-server v$LIVEKIT_VERSION with $(go version) (had: ${have:-nothing})"
  go_download "github.com/livekit/livekit-server@v$LIVEKIT_VERSION" \
    || die "go mod download livekit-server@v$LIVEKIT_VERSION failed: $GO_DL_ERR"
  local src
  src="$(copy_module "$GO_DL_DIR")"
  mkdir -p "$BIN_DIR"
  (cd "$src" && quiet livekit-deps timeout 900 go mod download \
    && quiet livekit-build timeout 2700 go build -trimpath -o "$BIN_DIR/livekit-server.new" ./cmd/server)
  mv -f "$BIN_DIR/livekit-server.new" "$bin"
  have="$(livekit_version_of "$bin" || true)"
  [[ "$have" == *" $LIVEKIT_VERSION" ]] || die "built livekit-server reports '$have'"
  log "built $bin: $have"
}

# ---------------------------------------------------------------------------------------------
# 4. lk-jwt-service (only if the Go module proxy serves it)
# ---------------------------------------------------------------------------------------------
LK_JWT_BIN=""
LK_JWT_NOTE=""

step_lk_jwt() {
  local bin="$BIN_DIR/lk-jwt-service"
  if [[ -x "$bin" && -s "$LK_JWT_ANSWER_FILE" ]] && grep -q '^served ' "$LK_JWT_ANSWER_FILE"; then
    LK_JWT_BIN="$bin"
    LK_JWT_NOTE="$(head -n 1 "$LK_JWT_ANSWER_FILE")"
    log "lk-jwt-service already built ($LK_JWT_NOTE)"
    return 0
  fi
  if [[ "${MESSENGER_STACK_RECHECK_LK_JWT:-0}" != 1 && -s "$LK_JWT_ANSWER_FILE" ]] \
    && grep -q '^not-served ' "$LK_JWT_ANSWER_FILE"; then
    LK_JWT_NOTE="$(head -n 1 "$LK_JWT_ANSWER_FILE")"
    log "lk-jwt-service: Go module proxy does not serve it (cached answer, see $LK_JWT_ANSWER_FILE); tests use livekit-server-sdk"
    return 0
  fi
  need_go
  mkdir -p "$CACHE"
  local answers=() v
  for v in "${LK_JWT_CANDIDATES[@]}"; do
    if go_download "$LK_JWT_MODULE@$v"; then
      build_lk_jwt "$GO_DL_DIR" "$GO_DL_VERSION"
      return 0
    fi
    answers+=("$LK_JWT_MODULE@$v: $GO_DL_ERR")
    if [[ "$GO_DL_RC" == 124 ]]; then
      # No answer at all: do not cache a "no", ask again on the next run.
      LK_JWT_NOTE="unknown: Go module proxy did not answer for $LK_JWT_MODULE@$v"
      log "lk-jwt-service: $LK_JWT_NOTE; tests will use livekit-server-sdk instead"
      return 0
    fi
    # Otherwise the proxy's "no" for this version is final; no retries.
  done
  {
    printf 'not-served %s (asked %s on %s)\n' "$LK_JWT_MODULE" "${LK_JWT_CANDIDATES[*]}" "$(date -u +%FT%TZ)"
    printf '%s\n' "${answers[@]}"
  } >"$LK_JWT_ANSWER_FILE"
  LK_JWT_NOTE="$(head -n 1 "$LK_JWT_ANSWER_FILE")"
  log "lk-jwt-service is not served by the Go module proxy; tests will use livekit-server-sdk instead (${answers[0]})"
}

build_lk_jwt() {
  local dir="$1" version="$2" src pkg
  src="$(copy_module "$dir")"
  # The main package: prefer the module root, else the first main package that is not a helper.
  pkg="$(cd "$src" && timeout 600 go list -f '{{if eq .Name "main"}}{{.Dir}}{{end}}' ./... | sed "s#^$src#.#" \
    | awk '$0=="." {print; found=1; exit} !/healthcheck/ && !first {first=$0} END {if (!found && first) print first}')"
  [[ -n "$pkg" ]] || die "no main package in $LK_JWT_MODULE@$version"
  mkdir -p "$BIN_DIR"
  (cd "$src" && quiet lk-jwt-build timeout 1800 go build -trimpath -o "$BIN_DIR/lk-jwt-service.new" "$pkg")
  mv -f "$BIN_DIR/lk-jwt-service.new" "$BIN_DIR/lk-jwt-service"
  printf 'served %s@%s (main package %s)\n' "$LK_JWT_MODULE" "$version" "$pkg" >"$LK_JWT_ANSWER_FILE"
  LK_JWT_BIN="$BIN_DIR/lk-jwt-service"
  LK_JWT_NOTE="$(head -n 1 "$LK_JWT_ANSWER_FILE")"
  log "built $LK_JWT_BIN from $LK_JWT_MODULE@$version"
}

# ---------------------------------------------------------------------------------------------
# 5. env.sh
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
    "LK_JWT_SERVICE_BIN=$LK_JWT_BIN"
    "PG_BIN_DIR=$(pg_bin_dir)"
    "NGINX_BIN=$(abs_bin nginx)"
    "REDIS_SERVER_BIN=$(abs_bin redis-server)"
    "REDIS_CLI_BIN=$(abs_bin redis-cli)"
    "DOCKER_COMPOSE_BIN=$(abs_bin docker-compose)"
    "SHELLCHECK_BIN=$(abs_bin shellcheck)"
    "YAMLLINT_BIN=$(abs_bin yamllint)"
    "HYPERFINE_BIN=$(abs_bin hyperfine)"
    "OPENSSL_BIN=$(abs_bin openssl)"
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
# 6. Summary
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
    lk-jwt-service "${LK_JWT_NOTE:-unknown}" \
    postgres "$(first_line "$pg_dir/postgres" --version)" \
    nginx "$(first_line nginx -v)" \
    redis-server "$(first_line redis-server --version)" \
    docker-compose "$(first_line docker-compose version --short)" \
    shellcheck "$(shellcheck --version 2>&1 | sed -n 's/^version: //p')" \
    yamllint "$(first_line yamllint --version)" \
    hyperfine "$(first_line hyperfine --version)" \
    openssl "$(first_line openssl version)" \
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
  run_step "env.sh" step_env
  summary
  log "total $(elapsed "$start")s"
}

main "$@"
