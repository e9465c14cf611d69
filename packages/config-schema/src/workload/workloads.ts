import { resourceSettings } from '../deployment/resources.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { SERVICE_CATALOGUE } from './catalogue.js'
import { enabledServices } from './enabled-services.js'
import type { ServiceName } from './service-names.js'
import { certbotWorkload } from './services/certbot.js'
import { elementWebWorkload } from './services/element-web.js'
import { livekitWorkload } from './services/livekit.js'
import { lkJwtServiceWorkload } from './services/lk-jwt-service.js'
import { nginxWorkload } from './services/nginx.js'
import { postgresWorkload } from './services/postgres.js'
import { redisWorkload } from './services/redis.js'
import { routerWorkload } from './services/router.js'
import { synapseWorkload } from './services/synapse.js'
import type { Workload, WorkloadInput, WorkloadSpecifics } from './workload.js'
import { servicePorts, type ServicePort } from './ports.js'

const BUILDERS: Readonly<Record<ServiceName, (input: WorkloadInput) => WorkloadSpecifics>> = {
  synapse: synapseWorkload,
  postgres: postgresWorkload,
  redis: redisWorkload,
  livekit: livekitWorkload,
  'lk-jwt-service': lkJwtServiceWorkload,
  'element-web': elementWebWorkload,
  nginx: nginxWorkload,
  router: routerWorkload,
  certbot: certbotWorkload,
}

/** The image a service runs: the `spec.images` entry its catalogue record names. */
export function serviceImage(spec: DeploymentSpec, service: ServiceName): string {
  return spec.images[SERVICE_CATALOGUE[service].image]
}

/**
 * The workload of a service for this spec: its catalogue record's spec-dependent part. Pure.
 * Only meaningful for a service the spec runs (see `serviceEnabled`).
 */
export function serviceWorkload(spec: DeploymentSpec, service: ServiceName): Workload {
  return buildWorkload(spec, service, servicePorts(spec))
}

/** The workload of every service the spec runs, in catalogue order. */
export function workloads(spec: DeploymentSpec): Workload[] {
  const ports = servicePorts(spec)
  return enabledServices(spec).map((service) => buildWorkload(spec, service, ports))
}

function buildWorkload(spec: DeploymentSpec, service: ServiceName, allPorts: readonly ServicePort[]): Workload {
  const ports = allPorts.filter((port) => port.service === service)
  const specifics = BUILDERS[service]({ spec, ports })
  return {
    service,
    image: serviceImage(spec, service),
    user: spec.containerUser,
    entrypoint: specifics.entrypoint,
    command: specifics.command,
    init: specifics.init,
    environment: specifics.environment,
    environmentFile: specifics.environmentFile,
    mounts: specifics.mounts,
    ports,
    health: specifics.health,
    readOnlyRootFilesystem: specifics.readOnlyRootFilesystem,
    memoryMb: resourceSettings(spec.resources).memoryLimitsMb[service],
    pidsLimit: specifics.pidsLimit,
    stopGraceSeconds: specifics.stopGraceSeconds,
  }
}

/**
 * Every file of the secrets folder some service of the spec reads (its secret mounts), sorted:
 * what the deploy scripts check before they start anything. The SMTP password and Synapse's
 * email file are among them only with `synapse.email`, LiveKit's only with calls.
 */
export function secretFilesRead(spec: DeploymentSpec): string[] {
  const files = new Set<string>()
  for (const workload of workloads(spec)) for (const mount of workload.mounts) if (mount.kind === 'secret') files.add(mount.file)
  return [...files].sort()
}
