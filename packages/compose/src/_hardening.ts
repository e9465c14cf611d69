import type { DeploymentSpec } from '@messenger-stack/config-schema'
import type { ComposeHealthcheck, ComposeLogging, ComposeService } from './model.js'

/** The variables the compose files read, with the names the original service used. */
export const UID_VARIABLE = 'CONTAINER_USER_UID'
export const GID_VARIABLE = 'CONTAINER_USER_GID'

/**
 * The `user:` of every service: the spec's non-root UID/GID as the default, overridable from
 * `.env` like the original service. A quoted string (compose refuses a number) that YAML 1.1
 * cannot misread as a sexagesimal integer.
 */
export function containerUser(spec: DeploymentSpec): string {
  const { uid, gid } = spec.containerUser
  return `\${${UID_VARIABLE}:-${uid}}:\${${GID_VARIABLE}:-${gid}}`
}

/** json-file log rotation: at most 3 files of 10 MB per container. */
export const LOG_ROTATION: ComposeLogging = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } }

/** A healthcheck with the shared timing; `startPeriod` covers each service's slow first start. */
export function healthcheck(test: ComposeHealthcheck['test'], startPeriod: string): ComposeHealthcheck {
  return { test, interval: '30s', timeout: '5s', retries: 3, start_period: startPeriod }
}

/** The parts of a service every builder fills in itself. */
export type ServiceSpecifics = Omit<
  ComposeService,
  'user' | 'restart' | 'cap_drop' | 'security_opt' | 'logging' | 'container_name' | 'networks' | 'mem_limit'
>

/** Where a service runs: its container name (= host name) and networks. */
export interface Placement {
  readonly containerName: string
  readonly networks: ComposeService['networks']
}

/**
 * Adds the hardening every service gets, in reading order: non-root user, no capabilities
 * (`cap_drop: [ALL]`, nothing added back: every image here binds ports above 1024 and writes
 * only to folders its user owns), `no-new-privileges`, restart policy, memory limit, log
 * rotation.
 */
export function hardenedService(spec: DeploymentSpec, placement: Placement, memoryMb: number, specifics: ServiceSpecifics): ComposeService {
  const { image, entrypoint, command, init, env_file, environment, volumes, tmpfs, ports, depends_on, healthcheck: check } = specifics
  return {
    image,
    container_name: placement.containerName,
    user: containerUser(spec),
    entrypoint,
    command,
    init,
    env_file,
    environment,
    volumes,
    tmpfs,
    ports,
    networks: placement.networks,
    depends_on,
    healthcheck: check,
    restart: 'unless-stopped',
    read_only: specifics.read_only,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    mem_limit: `${memoryMb}m`,
    pids_limit: specifics.pids_limit,
    stop_grace_period: specifics.stop_grace_period,
    logging: LOG_ROTATION,
  }
}
