// `stream_writers` of homeserver.yaml is built in one pass over the workers, each adding itself
// to its kind's streams. Compared here with the definition it replaced, one pass over every
// worker per stream of the endpoint table, on generated worker pools.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  SYNAPSE_WORKER_ENDPOINTS,
  safeParseDeploymentSpec,
  synapseWorkers,
  WORKER_CATALOGUE,
  WORKER_KINDS,
  withRenderMemo,
  type DeploymentSpec,
  type SynapseStream,
} from '@messenger-stack/config-schema'
import { MAIN_INSTANCE_NAME, workerSharedConfig } from '../src/synapse-workers.js'

/** The stream writers by the old definition: for each stream of the table, the workers whose kind writes it. */
function referenceStreamWriters(spec: DeploymentSpec): Record<string, string | string[]> | undefined {
  const out: Record<string, string | string[]> = {}
  for (const stream of Object.keys(SYNAPSE_WORKER_ENDPOINTS.streamWriters) as SynapseStream[]) {
    const workers = synapseWorkers(spec)
      .filter((worker) => WORKER_CATALOGUE[worker.kind].streams.includes(stream))
      .map((worker) => worker.name)
    if (workers.length === 0) continue
    const names = stream === 'quarantined_media_changes' ? [MAIN_INSTANCE_NAME, ...workers] : workers
    out[stream] = SYNAPSE_WORKER_ENDPOINTS.multiWriterStreams.includes(stream) ? names : names[0]!
  }
  return Object.keys(out).length === 0 ? undefined : out
}

describe('stream_writers', () => {
  it('names the workers of each stream as the per-stream definition does, for generated pools (property)', () => {
    const pools = fc.dictionary(fc.constantFrom(...WORKER_KINDS), fc.integer({ min: 0, max: 3 }), { maxKeys: 8 })
    const preset = fc.constantFrom('none', 'small', 'recommended')
    let checked = 0
    fc.assert(
      fc.property(preset, pools, fc.boolean(), (name, counts, federation) => {
        const parsed = safeParseDeploymentSpec({
          serverName: 'example.org',
          tls: { letsEncrypt: { email: 'a@example.org' } },
          synapse: { federation: { enabled: federation }, workers: { preset: name, pools: counts } },
        })
        if (!parsed.success) return
        const spec = parsed.data
        const expected = referenceStreamWriters(spec)
        expect(workerSharedConfig(spec).stream_writers).toEqual(expected)
        expect(withRenderMemo(spec, () => workerSharedConfig(spec).stream_writers)).toEqual(expected)
        if (expected !== undefined) checked++
      }),
      { numRuns: 400 },
    )
    // Many generated pools are valid and write some stream: the comparison did run.
    expect(checked).toBeGreaterThan(40)
  })
})
