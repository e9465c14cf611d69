import type { DeploymentSpec, Workload } from '@messenger-stack/config-schema'
import { type PartTable, deepFreeze, sharedPart } from './_shared.js'

// The security contexts and memory resources of the pods: each shared by the containers that
// have the same one, by what it is made of (see `sharedPart`).
const CONTAINER_SECURITY: PartTable = { parts: 'container security contexts, by read-only root' }
const POD_SECURITY: PartTable = { parts: 'the pod security context' }
const MEMORY: PartTable = { parts: 'memory resources, by size' }

// Fixed by the code, frozen so the printer prints each once per render.
const DROP_ALL = deepFreeze({ drop: ['ALL'] })
const RUNTIME_DEFAULT = deepFreeze({ type: 'RuntimeDefault' })

/** The hardened container security context: the spec's non-root user, nothing to escalate to. */
export function containerSecurity(spec: DeploymentSpec, readOnlyRootFilesystem: boolean): Readonly<Record<string, unknown>> {
  return sharedPart(spec, CONTAINER_SECURITY, readOnlyRootFilesystem, () => ({
    runAsNonRoot: true,
    runAsUser: spec.containerUser.uid,
    runAsGroup: spec.containerUser.gid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem,
    capabilities: DROP_ALL,
    seccompProfile: RUNTIME_DEFAULT,
  }))
}

/** The pod security context: the spec's non-root user and group, which also owns the volumes. */
export function podSecurity(spec: DeploymentSpec): Readonly<Record<string, unknown>> {
  return sharedPart(spec, POD_SECURITY, true, () => ({
    runAsNonRoot: true,
    runAsUser: spec.containerUser.uid,
    runAsGroup: spec.containerUser.gid,
    fsGroup: spec.containerUser.gid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: RUNTIME_DEFAULT,
  }))
}

/** Memory from the resource profile, requested and limited alike (no overcommit, as compose's `mem_limit`). */
export function memoryResources(spec: DeploymentSpec, workload: Workload): Readonly<Record<string, unknown>> {
  return sharedPart(spec, MEMORY, workload.memoryMb, () => {
    const memory = { memory: `${workload.memoryMb}Mi` }
    return { requests: memory, limits: memory }
  })
}
