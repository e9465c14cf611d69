import { BUNDLE_PATHS, SECRETS_MOUNT } from '@messenger-stack/config-schema'

/** A bundle file or folder mounted read-only: `./<bundle path>:<container path>:ro`. */
export function configMount(bundlePath: string, containerPath: string): string {
  return `./${bundlePath}:${containerPath}:ro`
}

/**
 * One file of the secrets folder, mounted read-only at `/secrets/<file>`. Files are mounted
 * one at a time so each container sees only the secrets it needs.
 */
export function secretMount(file: string): string {
  return `./${BUNDLE_PATHS.secretsDir}/${file}:${secretPath(file)}:ro`
}

/** Where a secret file is inside a container. */
export function secretPath(file: string): string {
  return `${SECRETS_MOUNT}/${file}`
}

/** A named volume mounted writable (or read-only with `readOnly`). */
export function volumeMount(volume: string, containerPath: string, readOnly = false): string {
  return `${volume}:${containerPath}${readOnly ? ':ro' : ''}`
}

/** A tmpfs mount of a read-only container, sized in MiB. */
export function tmpfsMount(containerPath: string, sizeMb: number): string {
  return `${containerPath}:size=${sizeMb}m`
}

/** The folder part of a bundle path (`a/b/c` → `a/b`). */
export function parentDir(path: string, levels = 1): string {
  let out = path
  for (let i = 0; i < levels; i++) out = out.slice(0, Math.max(0, out.lastIndexOf('/')))
  return out
}
