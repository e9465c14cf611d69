import { dataVolumes, type DeploymentSpec } from '@messenger-stack/config-schema'
import type { ComposeVolume } from './model.js'

/** The top-level `volumes:` of a file holding the data volumes: external, fixed names. */
export function externalDataVolumes(spec: DeploymentSpec): Record<string, ComposeVolume> {
  const out: Record<string, ComposeVolume> = {}
  // By index: the memoised volume list is frozen, which V8 (Node 20) iterates slowly otherwise.
  const volumes = dataVolumes(spec)
  for (let index = 0; index < volumes.length; index++) out[volumes[index]!.name] = { name: volumes[index]!.name, external: true }
  return out
}
