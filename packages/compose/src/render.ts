import {
  BUNDLE_PATHS,
  CONFIG_FILE_MODE,
  SERVICE_CATALOGUE,
  dataVolumes,
  composeProjectName,
  workloads,
  type ComposeVariant,
  type DeploymentSpec,
  type RenderedFile,
  type ServiceName,
} from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'
import { coreComposeModel, colourComposeModel } from './blue-green.js'
import type { ComposeFile } from './model.js'
import { standaloneComposeModel } from './standalone.js'

/** The bundle path of each compose file. */
export const COMPOSE_PATHS: Readonly<Record<ComposeVariant, string>> = {
  standalone: BUNDLE_PATHS.composeStandalone,
  core: BUNDLE_PATHS.composeCore,
  blue: BUNDLE_PATHS.composeBlue,
  green: BUNDLE_PATHS.composeGreen,
}

/** The variants the spec's mode uses, in start order. */
export function composeVariantsFor(spec: DeploymentSpec): ComposeVariant[] {
  return spec.mode === 'standalone' ? ['standalone'] : ['core', 'blue', 'green']
}

/**
 * The typed model of one compose file. Tests assert on it; {@link renderCompose} prints it.
 *
 * @throws Error if the variant does not belong to the spec's mode.
 */
export function composeModel(spec: DeploymentSpec, variant: ComposeVariant): ComposeFile {
  if (!composeVariantsFor(spec).includes(variant)) {
    throw new Error(
      `${COMPOSE_PATHS[variant]} belongs to ${variant === 'standalone' ? 'standalone' : 'microservice'} mode, but the spec's mode is ${spec.mode}.`,
    )
  }
  if (variant === 'standalone') return standaloneComposeModel(spec)
  if (variant === 'core') return coreComposeModel(spec)
  return colourComposeModel(spec, variant)
}

/** What each file is and how to start it; printed under the generated-file header. */
function describe(spec: DeploymentSpec, variant: ComposeVariant): string[] {
  const path = COMPOSE_PATHS[variant]
  const up = `docker-compose -p ${composeProjectName(spec, variant)} -f ${path} up -d`
  const data = [
    'Data volumes are external: the deploy script creates them first, bound to folders under',
    './data owned by the container user, so nothing here runs as root.',
  ]
  if (variant === 'standalone') return ['Standalone deployment: every service, with nginx and TLS.', `Start: ${up}`, ...data]
  if (variant === 'core') {
    return [
      'Microservice mode, shared core: PostgreSQL, Redis, the single Synapse main process and',
      'LiveKit. Start it before either colour; it never switches colour.',
      `Start: ${up}`,
      ...data,
    ]
  }
  return [
    `Microservice mode, ${variant} colour: the stateless services the gateway switches.`,
    'Needs the core project running (its network) and the gateway network.',
    `Start: ${up}`,
  ]
}

/** Comments above the top-level keys. */
function keyComments(spec: DeploymentSpec, model: ComposeFile): Record<string, string[]> {
  const comments: Record<string, string[]> = {}
  // One line per service: what the container may write (read-only root filesystem plus these
  // tmpfs/volumes) and how it is health-checked, so a reader sees why each exception exists.
  // Loops: the memoised workload list is frozen, which V8 (Node 20) maps on its slow path.
  // A service's one workload is named after it; the workload list is read only for other keys
  // (Synapse workers), once per file.
  let serviceOf: Map<string, ServiceName> | undefined
  const noted = new Set<ServiceName>()
  const notes: string[] = []
  for (const key of Object.keys(model.services)) {
    let service = key as ServiceName
    if (!Object.hasOwn(SERVICE_CATALOGUE, key)) {
      serviceOf ??= workloadServices(spec)
      service = serviceOf.get(key) ?? service
    }
    if (noted.has(service)) continue
    noted.add(service)
    notes.push(`${service}: ${SERVICE_CATALOGUE[service].notes}`)
  }
  if (notes.length > 0) {
    comments.services = [
      'Every service: non-root user, cap_drop ALL, no-new-privileges, read-only root filesystem,',
      'memory and pids limits, log rotation. Secrets are files under ./secrets mounted one by one.',
      ...notes,
    ]
  }
  if (model.volumes !== undefined) {
    const volumes = dataVolumes(spec)
    comments.volumes = []
    for (let index = 0; index < volumes.length; index++) {
      const volume = volumes[index]!
      comments.volumes.push(`${volume.name} -> ./${volume.hostDir}: ${volume.description}`)
    }
  }
  return comments
}

/** The service of each workload, by workload name. */
function workloadServices(spec: DeploymentSpec): Map<string, ServiceName> {
  const serviceOf = new Map<string, ServiceName>()
  const all = workloads(spec)
  for (let index = 0; index < all.length; index++) serviceOf.set(all[index]!.name, all[index]!.service)
  return serviceOf
}

/**
 * Renders one docker-compose file (standalone, the blue/green core, or one colour) as YAML 1.1
 * with the generated-file header. Accepted alone by `docker-compose config` (v1.29 and v2):
 * no `version:`, no top-level `name:`. Pure: same spec, same bytes.
 *
 * @example
 * writeFileSync(COMPOSE_PATHS.core, renderCompose(spec, 'core'))
 * @see https://docs.docker.com/reference/compose-file/
 */
export function renderCompose(spec: DeploymentSpec, variant: ComposeVariant): string {
  const model = composeModel(spec, variant)
  const path = COMPOSE_PATHS[variant]
  return toYaml(model, { header: [...generatedHeader(path), '', ...describe(spec, variant)], keyComments: keyComments(spec, model) })
}

/** Every compose file of the spec's mode, sorted by path; each a configuration file (mode 0644). */
export function composeFilesFor(spec: DeploymentSpec): RenderedFile[] {
  return composeVariantsFor(spec)
    .map((variant) => ({ path: COMPOSE_PATHS[variant], content: renderCompose(spec, variant), mode: CONFIG_FILE_MODE }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
