import type { ContainerUser, HealthCheck, Workload } from '@messenger-stack/config-schema'
import { tmpfsEntry, volumeEntry } from './_mounts.js'
import type { MountLines } from './_mount-lines.js'
import { composePorts } from './_ports.js'
import type { ComposeDependencyCondition, ComposeHealthcheck, ComposeHealthcheckDisabled, ComposeLogging, ComposeService } from './model.js'
import type { DeploymentSpec } from '@messenger-stack/config-schema'

/**
 * The `user:` of every service: the spec's non-root UID/GID, written literally. (The original
 * service read them from `.env`, so whoever could edit `.env` or the environment could run
 * every container as root; the spec refuses 0.) A string, which the YAML printer quotes so
 * YAML 1.1 cannot misread `1000:1000` as a sexagesimal integer.
 */
export function containerUser(user: ContainerUser): string {
  return `${user.uid}:${user.gid}`
}

/*
 * The parts every service shares are module-level constants frozen all the way down: the YAML
 * printer prints such a sub-tree once per render and indentation and reuses its text for each of
 * the dozens of services of a workers bundle (see `toYaml`).
 */

/** json-file log rotation: at most 3 files of 10 MB per container. */
export const LOG_ROTATION: ComposeLogging = Object.freeze({
  driver: 'json-file',
  options: Object.freeze({ 'max-size': '10m', 'max-file': '3' }),
})

const CAP_DROP_ALL: ComposeService['cap_drop'] = Object.freeze(['ALL'] as const)
const NO_NEW_PRIVILEGES: ComposeService['security_opt'] = Object.freeze(['no-new-privileges:true'] as const)
const HEALTHCHECK_OFF: ComposeHealthcheckDisabled = Object.freeze({ disable: true })

/** Where a service runs: its container name (= host name) and networks. */
export interface Placement {
  readonly containerName: string
  readonly networks: ComposeService['networks']
}

/** `depends_on` of a compose service, keyed by service. */
export type ComposeDependsOn = Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>

/** Compose interpolates `${VAR}` and `$VAR` in every string: a literal `$` is written `$$`. */
const literal = (text: string): string => (text.includes('$') ? text.replaceAll('$', '$$$$') : text)

const seconds = (value: number): string => `${value}s`

function healthcheck(health: HealthCheck): ComposeHealthcheck | ComposeHealthcheckDisabled {
  if (health.kind === 'none') return HEALTHCHECK_OFF
  let test: ComposeHealthcheck['test']
  if (health.kind === 'exec') {
    // A loop rather than a spread of a mapped copy: one array, built once per service.
    const exec: ['CMD', ...string[]] = ['CMD']
    for (let index = 0; index < health.command.length; index++) exec.push(literal(health.command[index]!))
    test = exec
  } else test = ['CMD-SHELL', literal(health.script)]
  return {
    test,
    interval: seconds(health.intervalSeconds),
    timeout: seconds(health.timeoutSeconds),
    retries: health.retries,
    start_period: seconds(health.startPeriodSeconds),
  }
}

/**
 * Prints a workload as a compose service, adding the hardening every service gets, in reading
 * order: non-root user, no capabilities (`cap_drop: [ALL]`, nothing added back: every image
 * here binds ports above 1024 and writes only to folders its user owns), `no-new-privileges`,
 * restart policy, memory and pids limits, log rotation.
 */
export function composeService(
  spec: DeploymentSpec,
  workload: Workload,
  placement: Placement,
  dependsOn?: ComposeDependsOn,
  mountLines?: MountLines,
): ComposeService {
  // Loops rather than entries/map/filter chains: this runs once per service of every compose file.
  let environment: Record<string, string> | undefined
  if (workload.environment !== undefined) {
    environment = {}
    for (const name of Object.keys(workload.environment)) environment[name] = literal(workload.environment[name]!)
  }
  const volumes: string[] = []
  const tmpfs: string[] = []
  for (const mount of workload.mounts) {
    if (mount.kind === 'tmpfs') tmpfs.push(mountLines === undefined ? tmpfsEntry(mount)! : mountLines.tmpfs(mount))
    else volumes.push(mountLines === undefined ? volumeEntry(spec, mount)! : mountLines.volume(spec, mount))
  }
  return {
    image: workload.image,
    container_name: placement.containerName,
    user: containerUser(workload.user),
    entrypoint: workload.entrypoint?.map(literal),
    command: workload.command?.map(literal),
    init: workload.init ? true : undefined,
    env_file: workload.environmentFile === undefined ? undefined : [`./${workload.environmentFile}`],
    environment,
    volumes: volumes.length > 0 ? volumes : undefined,
    tmpfs: tmpfs.length > 0 ? tmpfs : undefined,
    ports: composePorts(workload.ports),
    networks: placement.networks,
    depends_on: dependsOn,
    healthcheck: healthcheck(workload.health),
    restart: 'unless-stopped',
    read_only: workload.readOnlyRootFilesystem,
    cap_drop: CAP_DROP_ALL,
    security_opt: NO_NEW_PRIVILEGES,
    mem_limit: `${workload.memoryMb}m`,
    pids_limit: workload.pidsLimit,
    stop_grace_period: workload.stopGraceSeconds === undefined ? undefined : seconds(workload.stopGraceSeconds),
    logging: LOG_ROTATION,
  }
}
