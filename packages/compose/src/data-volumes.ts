import { BUNDLE_PATHS, type DeploymentSpec, type ServiceName } from '@messenger-stack/config-schema'
import { livekitNeedsCertificate, usesLetsEncrypt } from './_conditions.js'

/** What a data volume holds. */
export type DataVolumeKind = 'postgres' | 'synapse' | 'letsencrypt' | 'acme-webroot'

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
  /** Services that mount it. */
  readonly services: readonly ServiceName[]
  /** One sentence for DEPLOY.md and the compose file comments. */
  readonly description: string
}

/**
 * Every persistent data volume of the spec's deployment.
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
export function composeDataVolumes(spec: DeploymentSpec): DataVolume[] {
  const volume = (kind: DataVolumeKind, services: ServiceName[], description: string): DataVolume => ({
    kind,
    name: dataVolumeName(spec, kind),
    hostDir: `${BUNDLE_PATHS.dataDir}/${kind}`,
    services,
    description,
  })
  const volumes = [
    volume('postgres', ['postgres'], 'PostgreSQL data directory (the whole Synapse database).'),
    volume('synapse', ['synapse'], 'Synapse data: the media store (uploads, thumbnails, remote media cache).'),
  ]
  if (usesLetsEncrypt(spec)) {
    volumes.push(
      volume(
        'letsencrypt',
        livekitNeedsCertificate(spec) ? ['certbot', 'nginx', 'livekit'] : ['certbot', 'nginx'],
        "Let's Encrypt account, certificates and renewal settings (certbot writes, nginx reads).",
      ),
      volume('acme-webroot', ['certbot', 'nginx'], 'HTTP-01 challenge files (certbot writes, nginx serves them on port 80).'),
    )
  }
  return volumes
}

/** The Docker name of a data volume: `messenger-postgres-data`. */
export function dataVolumeName(spec: DeploymentSpec, kind: DataVolumeKind): string {
  return `${spec.serviceName}-${kind}-data`
}
