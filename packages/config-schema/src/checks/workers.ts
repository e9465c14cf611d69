import type { SpecIssue } from '../errors/issue.js'
import { WORKER_CATALOGUE, WORKER_KINDS, type WorkerKind, type WorkerNeed } from '../workers/kinds.js'
import { workerCounts, workerNeedMet, type WorkerSpec } from '../workers/pools.js'

const POOLS_PATH = ['synapse', 'workers', 'pools'] as const

/** Why a kind is useless without its need, and what would give it one. */
const NEED_REASONS: Readonly<Record<WorkerNeed, { readonly missing: string; readonly remedy: string }>> = {
  federation: {
    missing: 'federation is off (synapse.federation.enabled: false)',
    remedy: 'turn federation on, or remove the count (presets leave federation workers out while federation is off)',
  },
  userDirectory: {
    missing: 'the user directory is off (synapse.extraConfig.user_directory.enabled: false)',
    remedy: 'turn the user directory on, or remove the count',
  },
  appservices: {
    missing: 'no application service is registered (synapse.extraConfig.app_service_config_files is empty)',
    remedy: 'register application services, or remove the count',
  },
}

/** Where the count of a kind comes from, for messages: the spec's pools or its preset. */
function countOrigin(spec: WorkerSpec, kind: WorkerKind): (string | number)[] {
  return spec.synapse.workers.pools[kind] === undefined ? ['synapse', 'workers', 'preset'] : [...POOLS_PATH, kind]
}

/**
 * Worker pools that cannot work together: two processes of a kind upstream allows only once,
 * generic workers beside client or federation pools (both would claim the same requests), and
 * a kind the spec gives nothing to do.
 */
export function checkWorkers(spec: WorkerSpec): SpecIssue[] {
  const counts = workerCounts(spec)
  const issues: SpecIssue[] = []
  for (const kind of WORKER_KINDS) {
    const traits = WORKER_CATALOGUE[kind]
    if (traits.single && counts[kind] > 1) {
      issues.push({
        path: countOrigin(spec, kind),
        code: 'worker_single_instance',
        message: `Only one ${kind} worker may run, but the spec asks for ${counts[kind]}: ${traits.streams.length > 0 ? `Synapse accepts exactly one writer of the ${traits.streams.join(', ')} stream` : 'Synapse hands this duty to a single process and does nothing to stop two from doing it twice'}.`,
        hint: `set synapse.workers.pools.${kind} to 1.`,
      })
    }
    const unmet = traits.needs !== undefined && counts[kind] > 0 && !workerNeedMet(spec, traits.needs) ? traits.needs : undefined
    if (unmet !== undefined) {
      issues.push({
        path: [...POOLS_PATH, kind],
        code: 'worker_not_needed',
        message: `${/^[aeiou]/.test(kind) ? 'An' : 'A'} ${kind} worker would have nothing to do: ${NEED_REASONS[unmet].missing}.`,
        hint: `${NEED_REASONS[unmet].remedy}.`,
      })
    }
  }
  const specialised = (['client', 'federation'] as const).filter((kind) => counts[kind] > 0)
  if (counts.generic > 0 && specialised.length > 0) {
    issues.push({
      path: countOrigin(spec, 'generic'),
      code: 'worker_mix',
      message: `Generic workers serve client and federation requests alike, so beside ${specialised.join(' and ')} workers they would only take what those leave over, and sizing either pool would be guesswork.`,
      hint: `use generic workers alone (preset small), or ${specialised.join(' and ')} workers without generic ones (preset recommended): set synapse.workers.pools.generic to 0 or remove the others.`,
    })
  }
  return issues
}
