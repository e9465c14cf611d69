import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  composeProjectName,
  containerName,
  dataVolumes,
  secretFilesRead,
  synapseEmailSection,
  emailFingerprintLine,
  emailSettingsFingerprint,
  deriveValues,
  synapseWorkers,
  workerHost,
  workersEnabled,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { SYNC_DATABASE_ROLE } from './_database-role.js'
import { TRUSTED_PATH } from './_trusted-path.js'

/** The values every script template shares, from {@link scriptView}. */
export type ScriptView = Readonly<ReturnType<typeof scriptView>>

/** What the secrets check knows of Synapse's email file: its name, and the fingerprint line of the spec's settings. */
function emailFileCheck(spec: DeploymentSpec): false | Readonly<Record<string, string>> {
  const section = synapseEmailSection(spec)
  if (section === undefined) return false
  return {
    name: DERIVED_SECRET_FILES.synapseEmail,
    fingerprintLine: emailFingerprintLine(emailSettingsFingerprint(section)),
    // Without smtpUser there is no password file: -nt is then false and the check passes.
    passwordName: SECRET_FILES.smtpPassword,
  }
}

/** Each data volume's name and host folder, one after the other (a loop: the memoised list is frozen, and `flatMap` slow). */
function volumeNamesAndFolders(spec: DeploymentSpec): string[] {
  const volumes = dataVolumes(spec)
  const out: string[] = []
  for (let index = 0; index < volumes.length; index++) out.push(volumes[index]!.name, volumes[index]!.hostDir)
  return out
}

/** Each Synapse worker's compose service and container (a loop: the memoised list is frozen, which V8, Node 20, maps slowly). */
function workerContainers(spec: DeploymentSpec): { readonly name: string; readonly container: string }[] {
  const workers = synapseWorkers(spec)
  const out: { readonly name: string; readonly container: string }[] = []
  for (let index = 0; index < workers.length; index++)
    out.push({ name: workers[index]!.name, container: workerHost(spec, workers[index]!) })
  return out
}

/**
 * The values every script template shares; `renderScripts` computes them once per bundle. The "stateful" compose project is the one that
 * runs Synapse, PostgreSQL and Redis: the standalone project, or the shared core in
 * microservice mode.
 */
export function scriptView(spec: DeploymentSpec) {
  const derived = deriveValues(spec)
  const standalone = spec.mode === 'standalone'
  return {
    serviceName: spec.serviceName,
    composeFile: standalone ? BUNDLE_PATHS.composeStandalone : BUNDLE_PATHS.composeCore,
    composeProject: composeProjectName(spec, standalone ? 'standalone' : 'core'),
    secretsDir: BUNDLE_PATHS.secretsDir,
    backupsDir: BUNDLE_PATHS.backupsDir,
    // Every file a service of this spec mounts from the secrets folder.
    secretFiles: secretFilesRead(spec),
    emailFile: emailFileCheck(spec),
    uid: spec.containerUser.uid,
    gid: spec.containerUser.gid,
    synapseContainer: containerName(spec, 'synapse'),
    // Synapse's workers: compose service names and containers (empty without workers).
    synapseWorkers: workerContainers(spec),
    hasSynapseWorkers: workersEnabled(spec),
    postgresContainer: containerName(spec, 'postgres'),
    redisContainer: containerName(spec, 'redis'),
    livekitContainer: containerName(spec, 'livekit'),
    nginxContainer: containerName(spec, 'nginx'),
    calls: derived.calls,
    matrixHost: derived.matrixHost,
    synapseHomeserver: CONTAINER_PATHS.synapseHomeserver,
    synapseUrl: `http://localhost:${spec.synapse.httpPort}`,
    synapseDataDir: CONTAINER_PATHS.synapseDataDir,
    mediaStoreName: CONTAINER_PATHS.synapseMediaStore.slice(CONTAINER_PATHS.synapseDataDir.length + 1),
    // Synapse's own role password (backups and restores run as that role, not as the superuser).
    postgresPasswordFile: `${CONTAINER_PATHS.secretsDir}/${SECRET_FILES.synapseDatabasePassword}`,
    superuserPasswordFile: `${CONTAINER_PATHS.secretsDir}/${SECRET_FILES.postgresPassword}`,
    synapseDatabasePasswordName: SECRET_FILES.synapseDatabasePassword,
    postgresInitScript: `${CONTAINER_PATHS.postgresInitDir}/${BUNDLE_PATHS.postgresInit.slice(BUNDLE_PATHS.postgresInit.lastIndexOf('/') + 1)}`,
    synapsePgpassFile: `${CONTAINER_PATHS.secretsDir}/${DERIVED_SECRET_FILES.synapsePgpass}`,
    synapsePgpassName: DERIVED_SECRET_FILES.synapsePgpass,
    postgresUser: spec.postgres.user,
    postgresDatabase: spec.postgres.database,
    dataVolumes: volumeNamesAndFolders(spec),
  }
}

/**
 * Shared opening of every bash script: strict mode is set by the template itself; this
 * moves to the bundle root, defines logging, finds docker compose (v2 plugin or v1) and
 * the compose project of the stateful services.
 */
export const PRELUDE = `# Values of this deployment, fixed when the bundle was rendered.
COMPOSE_FILE_NAME=<% composeFile %>
COMPOSE_PROJECT=<% composeProject %>

# Every path below is relative to the bundle root, the parent of this scripts/ folder.
cd "$(dirname "\${BASH_SOURCE[0]}")/.."

log() { printf '[%s] %s\\n' "\${0##*/}" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# setting NAME DEFAULT: NAME from the environment, else from .env, else the rendered default.
setting() {
  local name="$1" fallback="$2" value=""
  if [[ -n "\${!name:-}" ]]; then
    printf '%s\\n' "\${!name}"
    return 0
  fi
  if [[ -f .env ]]; then
    value="$(sed -n "s/^\${name}=//p" .env | tail -n 1 | sed -e "s/^[\\"']//" -e "s/[\\"']\\$//")"
  fi
  printf '%s\\n' "\${value:-$fallback}"
}

if docker compose version >/dev/null 2>&1; then
  DOCKER_COMPOSE=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  DOCKER_COMPOSE=(docker-compose)
else
  die "docker compose is not installed (neither the 'docker compose' plugin nor docker-compose)"
fi
compose() { "\${DOCKER_COMPOSE[@]}" -p "$COMPOSE_PROJECT" -f "$COMPOSE_FILE_NAME" "$@"; }
`

/** Checks of the secrets folder: present, private, every file there, owned by the container user. */
export const CHECK_SECRETS = `SECRETS_DIR=<% secretsDir %>
# The containers' user, from the spec (never from .env: nothing may turn a container into root).
CONTAINER_UID=<% uid %>
CONTAINER_GID=<% gid %>

# check_secrets: the secrets folder is mode 0700 and every file 0600, owned by the user the
# containers run as (they read the files through read-only mounts).
check_secrets() {
  local file path
  [[ -d "$SECRETS_DIR" ]] || die "$SECRETS_DIR/ is missing: run 'messenger-stack secrets' first"
  [[ -z "$(find "$SECRETS_DIR" -maxdepth 0 -perm /077)" ]] || die "$SECRETS_DIR/ must not be readable by others: chmod 700 $SECRETS_DIR"
  for file in <%#secretFiles%><% . %> <%/secretFiles%>; do
    path="$SECRETS_DIR/$file"
    [[ -s "$path" ]] || die "$path is missing or empty: run 'messenger-stack secrets'"
    [[ -z "$(find "$path" -maxdepth 0 -perm /077)" ]] || die "$path must be mode 0600: chmod 600 $path"
    [[ "$(stat -c %u "$path")" == "$CONTAINER_UID" ]] || die "$path must belong to UID $CONTAINER_UID: chown $CONTAINER_UID:$CONTAINER_GID $path"
  done
<%#emailFile%>
  # Synapse's email section (with the SMTP password) is written by 'messenger-stack secrets':
  # refuse one written for other settings, or before smtp_password last changed.
  path="$SECRETS_DIR/<% name %>"
  grep -qxF <% fingerprintLine %> "$path" ||
    die "$path was written for other email settings: run 'messenger-stack secrets $SECRETS_DIR --spec <your spec>'"
  [[ ! "$SECRETS_DIR/<% passwordName %>" -nt "$path" ]] ||
    die "$SECRETS_DIR/<% passwordName %> changed after $path was written: run 'messenger-stack secrets $SECRETS_DIR --spec <your spec>'"
<%/emailFile%>
  log "secrets folder ok"
}
`

/** Waits, bounded, until a container is healthy (or running, when it has no healthcheck). */
export const WAIT_HEALTHY = `# wait_healthy CONTAINER SECONDS
wait_healthy() {
  local container="$1" deadline=$((SECONDS + $2)) status
  log "waiting for $container"
  while ((SECONDS < deadline)); do
    status="$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$container" 2>/dev/null || echo missing)"
    case "$status" in
      healthy | running) return 0 ;;
      unhealthy | exited | dead) die "$container is $status: see 'docker logs $container'" ;;
    esac
    sleep 3
  done
  die "$container is not healthy after $2 s: see 'docker logs $container'"
}
`

/**
 * Creates the data folders (owned by the container user, mode 0700) and the external named
 * volumes bound to them, which the compose files expect (see config-schema's `dataVolumes`).
 */
export const DATA_VOLUMES = `# Data volume names and their folders, in pairs.
DATA_VOLUMES=(<%#dataVolumes%><% . %> <%/dataVolumes%>)

# ensure_data_volumes: every data folder exists, belongs to the container user and backs its
# external named volume. Nothing runs as root inside a container to fix ownership later.
ensure_data_volumes() {
  local i name dir
  for ((i = 0; i < \${#DATA_VOLUMES[@]}; i += 2)); do
    name="\${DATA_VOLUMES[i]}"
    dir="\${DATA_VOLUMES[i + 1]}"
    if [[ ! -d "$dir" ]]; then
      install -d -m 0700 -o "$CONTAINER_UID" -g "$CONTAINER_GID" "$dir" ||
        die "cannot create $dir owned by $CONTAINER_UID:$CONTAINER_GID (run this once with sudo, or as that user)"
    fi
    [[ "$(stat -c %u "$dir")" == "$CONTAINER_UID" ]] || die "$dir must belong to UID $CONTAINER_UID: chown -R $CONTAINER_UID:$CONTAINER_GID $dir"
    if ! docker volume inspect "$name" >/dev/null 2>&1; then
      docker volume create --driver local --opt type=none --opt o=bind --opt device="$PWD/$dir" "$name" >/dev/null
      log "created volume $name on $dir"
    fi
  done
}
`

/** The partials every script may use. */
export const PARTIALS: Readonly<Record<string, string>> = {
  prelude: PRELUDE,
  trustedPath: TRUSTED_PATH,
  checkSecrets: CHECK_SECRETS,
  waitHealthy: WAIT_HEALTHY,
  dataVolumes: DATA_VOLUMES,
  syncDatabaseRole: SYNC_DATABASE_ROLE,
}
