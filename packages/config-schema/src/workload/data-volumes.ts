import { BUNDLE_PATHS, CONTAINER_PATHS } from '../deployment/layout.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import type { ServiceName } from './service-names.js'
import type { DataVolumeKind } from './workload.js'
import { workloads } from './workloads.js'
import { memoised } from '../_render-memo.js'

/** A persistent data volume of the bundle. */
export interface DataVolume {
  /** What it holds. */
  readonly kind: DataVolumeKind
  /**
   * Docker volume name and key in the compose file's `volumes:`, the same in every mode and
   * colour: `<serviceName>-<kind>-data`.
   */
  readonly name: string
  /** Folder under the bundle that holds the data, which the volume is bound to. */
  readonly hostDir: string
  /** Services that mount it, in catalogue order. */
  readonly services: readonly ServiceName[]
  /** One sentence for DEPLOY.md and the compose file comments. */
  readonly description: string
}

/** What each data volume holds, in the order files list them. */
const DESCRIPTIONS: Readonly<Record<DataVolumeKind, string>> = {
  postgres: 'PostgreSQL data directory (the whole Synapse database).',
  synapse: 'Synapse data: the media store (uploads, thumbnails, remote media cache).',
  letsencrypt: "Let's Encrypt account, certificates and renewal settings (certbot writes, nginx reads).",
  'acme-webroot': 'HTTP-01 challenge files (certbot writes, nginx serves them on port 80).',
  prometheus: 'Prometheus samples (with monitoring.prometheus; kept for monitoring.prometheus.retention).',
}

/**
 * Every persistent data volume the spec's workloads mount.
 *
 * Decision (PostgreSQL and friends run as an arbitrary non-root UID, so their data folders
 * must belong to that UID): the data lives in folders under `./data/` of the bundle, which
 * the deploy script creates with `install -d -m 0700 -o UID -g GID` and registers as named
 * volumes bound to those folders (`docker volume create --driver local --opt type=none
 * --opt o=bind --opt device=$PWD/data/<kind> <name>`). The compose files declare them
 * `external: true` with fixed names, so:
 * - no container ever runs as root to chown anything;
 * - `docker-compose up` before the deploy script fails at once with "external volume not
 *   found" instead of starting PostgreSQL on a root-owned folder;
 * - the names do not depend on the compose project, so blue, green and core (and a later
 *   switch of colour) all see the same data, and `down -v` never deletes it;
 * - backups copy `./data/`.
 *
 * Redis has no data volume: its config turns persistence off (`save ""`), Synapse keeps
 * nothing there it cannot rebuild.
 */
export function dataVolumes(spec: DeploymentSpec): DataVolume[] {
  return memoised(spec, computeDataVolumes)
}

function computeDataVolumes(spec: DeploymentSpec): DataVolume[] {
  // One pass over the workloads (catalogue order), collecting each volume's services.
  const mounting = new Map<DataVolumeKind, Set<ServiceName>>()
  const all = workloads(spec)
  for (let index = 0; index < all.length; index++) {
    const workload = all[index]!
    for (const mount of workload.mounts) {
      if (mount.kind !== 'data') continue
      const services = mounting.get(mount.volume)
      if (services === undefined) mounting.set(mount.volume, new Set([workload.service]))
      else services.add(workload.service)
    }
  }
  const volumes: DataVolume[] = []
  for (const kind of Object.keys(DESCRIPTIONS) as DataVolumeKind[]) {
    const services = mounting.get(kind)
    if (services === undefined) continue
    volumes.push({
      kind,
      name: dataVolumeName(spec, kind),
      hostDir: dataVolumeHostDir(kind),
      services: [...services],
      description: DESCRIPTIONS[kind],
    })
  }
  return volumes
}

/** The Docker name of a data volume: `messenger-postgres-data`. */
export function dataVolumeName(spec: DeploymentSpec, kind: DataVolumeKind): string {
  return `${spec.serviceName}-${kind}-data`
}

/** The bundle folder a data volume is bound to: `data/<kind>`. */
export function dataVolumeHostDir(kind: DataVolumeKind): string {
  return `${BUNDLE_PATHS.dataDir}/${kind}`
}

/**
 * Where Synapse's admin socket appears on the host, relative to the bundle: inside the folder
 * of Synapse's data volume (`data/synapse/admin.sock`), so only root and the container user,
 * who own that mode-0700 folder, can open it. `messenger-stack register-user --socket` uses it.
 */
export function synapseAdminSocketPath(): string {
  const inVolume = CONTAINER_PATHS.synapseAdminSocket.slice(CONTAINER_PATHS.synapseDataDir.length + 1)
  return `${dataVolumeHostDir('synapse')}/${inVolume}`
}
