import { dataVolumes, type DeploymentSpec } from '@messenger-stack/config-schema'
import type { ComposeVolume } from './model.js'

/** The top-level `volumes:` of a file holding the data volumes: external, fixed names. */
export function externalDataVolumes(spec: DeploymentSpec): Record<string, ComposeVolume> {
  const out: Record<string, ComposeVolume> = {}
  for (const volume of dataVolumes(spec)) out[volume.name] = { name: volume.name, external: true }
  return out
}
