import { CONTAINER_PATHS } from '../deployment/layout.js'
import { tlsCertificatePaths } from '../deployment/derived.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { serviceEnabled } from './enabled-services.js'
import type { ConfigMount, DataMount, DataVolumeKind, Mount, SecretMount, TmpfsMount } from './workload.js'

/** A bundle file or folder, read-only at `target`. */
export function configMount(source: string, target: string): ConfigMount {
  return { kind: 'config', source, target }
}

/** One file of the secrets folder, read-only under `/secrets`. */
export function secretMount(file: string): SecretMount {
  return { kind: 'secret', file }
}

/** A data volume at `target`, writable unless `readOnly`. */
export function dataMount(volume: DataVolumeKind, target: string, readOnly = false): DataMount {
  return { kind: 'data', volume, target, readOnly }
}

/** An in-memory folder of `sizeMb` MiB. */
export function tmpfsMount(target: string, sizeMb: number): TmpfsMount {
  return { kind: 'tmpfs', target, sizeMb }
}

/** The folder part of a bundle path (`a/b/c` → `a/b`), `levels` folders up. */
export function parentDir(path: string, levels = 1): string {
  let out = path
  for (let i = 0; i < levels; i++) out = out.slice(0, Math.max(0, out.lastIndexOf('/')))
  return out
}

/**
 * The mounts that give a service the TLS certificate at {@link tlsCertificatePaths}: certbot's
 * `letsencrypt` volume (read-only) when certbot runs, else the operator's own files.
 */
export function certificateMounts(spec: DeploymentSpec): Mount[] {
  if (serviceEnabled(spec, 'certbot')) return [dataMount('letsencrypt', CONTAINER_PATHS.letsEncryptDir, true)]
  const files = spec.tls?.certificateFiles
  if (files === undefined) return []
  const inside = tlsCertificatePaths(spec)
  return [
    { kind: 'host-file', source: files.certificate, target: inside.certificate },
    { kind: 'host-file', source: files.key, target: inside.key },
  ]
}
