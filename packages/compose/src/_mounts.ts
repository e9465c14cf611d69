import { dataVolumeName, SECRETS_MOUNT, BUNDLE_PATHS, type DeploymentSpec, type Mount } from '@messenger-stack/config-schema'

/**
 * A mount as a `volumes:` entry (short syntax): `./<bundle path>:<path>:ro` for bundle files
 * and secrets, `<volume name>:<path>[:ro]` for data volumes, `<host path>:<path>:ro` for the
 * operator's own files. Undefined for tmpfs, which compose lists under `tmpfs:`.
 */
export function volumeEntry(spec: DeploymentSpec, mount: Mount): string | undefined {
  switch (mount.kind) {
    case 'config':
      return `./${mount.source}:${mount.target}:ro`
    case 'secret':
      return `./${BUNDLE_PATHS.secretsDir}/${mount.file}:${SECRETS_MOUNT}/${mount.file}:ro`
    case 'data':
      return `${dataVolumeName(spec, mount.volume)}:${mount.target}${mount.readOnly ? ':ro' : ''}`
    case 'host-file':
      return `${mount.source}:${mount.target}:ro`
    case 'tmpfs':
      return undefined
  }
}

/** A tmpfs mount as a `tmpfs:` entry, `/path:size=<n>m`; undefined for every other mount. */
export function tmpfsEntry(mount: Mount): string | undefined {
  return mount.kind === 'tmpfs' ? `${mount.target}:size=${mount.sizeMb}m` : undefined
}
