// The route that keeps a stream's writer-only requests on the main process while no worker writes
// that stream: with some streams written by workers and others not, it must cover exactly the
// writer-only patterns of the streams left to the main process, in the endpoint table's order.
import { describe, expect, it } from 'vitest'
import {
  pathApi,
  routes,
  SYNAPSE_WORKER_ENDPOINTS,
  WORKER_CATALOGUE,
  WORKER_KINDS,
  workerCounts,
  type SynapseStream,
} from '../src/index.js'
import { spec } from './_helpers.js'

/** The patterns only a stream's writer may serve, of the streams no worker of `written` writes. */
function expectedPatterns(written: ReadonlySet<SynapseStream>): string[] {
  const generic = new Set(
    [...SYNAPSE_WORKER_ENDPOINTS.genericWorker.anyMethod, ...SYNAPSE_WORKER_ENDPOINTS.genericWorker.getOnly].map((entry) => entry.pattern),
  )
  const patterns: string[] = []
  for (const [stream, streamPatterns] of Object.entries(SYNAPSE_WORKER_ENDPOINTS.streamWriters) as [SynapseStream, readonly string[]][]) {
    if (written.has(stream)) continue
    for (const pattern of streamPatterns) if (pathApi(pattern) !== 'admin' && !generic.has(pattern)) patterns.push(pattern)
  }
  return patterns
}

const WRITER_KINDS = WORKER_KINDS.filter((kind) => WORKER_CATALOGUE[kind].streams.length > 0)

describe.each(WRITER_KINDS)('with a %s worker beside the recommended preset', (kind) => {
  const withWriter = spec({ synapse: { workers: { preset: 'recommended', pools: { [kind]: 1 } } } })
  const counts = workerCounts(withWriter)
  const written = new Set(WORKER_KINDS.filter((known) => counts[known] > 0).flatMap((known) => WORKER_CATALOGUE[known].streams))

  it('the main process keeps the writer-only requests of every stream no worker writes', () => {
    expect(written.size).toBeGreaterThan(0)
    const expected = expectedPatterns(written)
    const route = routes(withWriter).find((known) => known.name === 'synapse-main-streams')
    if (expected.length === 0) {
      expect(route).toBeUndefined()
      return
    }
    expect(route?.target).toEqual({ kind: 'pool', pool: { processes: 'main', balance: 'round-robin' } })
    const joined = expected.length === 1 ? expected[0] : `^(?:${expected.map((pattern) => pattern.slice(1)).join('|')})`
    expect(route?.match).toEqual({ kind: 'regex', pattern: joined })
  })
})

it('some worker kinds write streams', () => {
  expect(WRITER_KINDS.length).toBeGreaterThan(0)
})
