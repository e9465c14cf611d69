import type { DeploymentSpec } from '../deployment/spec.js'
import type { SpecIssue } from '../errors/issue.js'
import { workloads } from '../workload/workloads.js'
import { workersEnabled } from '../workers/pools.js'

/** The host memory each resource profile is for, in MiB (`large` is 8 GB or more: no ceiling). */
const HOST_MIB = { small: 2048, medium: 4096 } as const

/**
 * Limits are ceilings that processes seldom reach together, so the stack may ask for more
 * than the host has; beyond this multiple of the host's memory, a busy moment swaps or kills.
 */
const OVERCOMMIT = 1.5

/**
 * Workers multiply Synapse's processes, each with its own caches and connection pool: on the
 * host size a profile stands for, too many of them no longer fit. Warns when the memory limits
 * of every container add up to more than 1.5 times that host's memory.
 */
export function warnWorkersMemory(spec: DeploymentSpec): SpecIssue[] {
  // Without workers there is nothing to warn about, and building every workload to find that out
  // would be most of the cost of reading a spec.
  if (spec.resources === 'large' || !workersEnabled(spec)) return []
  const running = workloads(spec)
  const workers = running.filter((workload) => workload.service === 'synapse-worker')
  if (workers.length === 0) return []
  const total = running.reduce((sum, workload) => sum + workload.memoryMb, 0)
  const host = HOST_MIB[spec.resources]
  if (total <= host * OVERCOMMIT) return []
  return [
    {
      path: ['synapse', 'workers'],
      code: 'workers_memory',
      message: `With ${workers.length} Synapse workers the containers' memory limits add up to ${total} MiB, more than the ${host / 1024} GB host the '${spec.resources}' profile is for can back.`,
      hint: `choose a larger resources profile (the 'recommended' preset wants 'large'), or fewer workers (preset 'small').`,
    },
  ]
}
