// THE ROUTING PROPERTY, with the real nginx: the rendered standalone site and the rendered
// microservice router each run in a private network namespace with one stub per Synapse process
// (each answers with its name), and requests are sent to them. For every pattern of Synapse's
// worker endpoint table (the oracle file), sample paths built at random from the pattern reach a
// process upstream allows to serve them (worker-routing-oracle.ts), and a worker whenever one may
// serve them; paths only the main process may serve reach it; random paths built from the table's
// words obey the same rule; the admin API is refused. Sync sticks to a worker per access token,
// room traffic per room, inbound federation per client address. Mutants prove the property can
// fail: with any one worker route removed from the rendered config, some sample reaches the wrong
// process.
import fc from 'fast-check'
import { routes, synapseWorkers, WORKER_CATALOGUE, type DeploymentSpec } from '@messenger-stack/config-schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { exampleSpec, specWith } from './_renderer-fixtures.js'
import { edgeModel, runProbes, withoutRoute, type Answer, type Edge, type Probe } from './support/edge-under-test.js'
import { regexSamples } from './support/regex-samples.js'
import { allowedProcesses, ORACLE_SAMPLE_LISTS, ORACLE_TABLE, workerExpected } from './support/worker-routing-oracle.js'

const MICROSERVICE = { mode: 'microservice', tls: undefined }
const EVERY_WRITER = {
  synapse: {
    workers: {
      preset: 'recommended',
      pools: { federation: 2, media: 2, typing: 1, toDevice: 1, accountData: 1, receipts: 2, presence: 1, pushRules: 1, deviceLists: 2 },
    },
  },
}

/** The specs under test, each with the nginx that routes its requests. */
const CASES: Record<string, { readonly spec: DeploymentSpec; readonly edge: Edge }> = {
  'examples/workers (recommended), standalone site': { spec: exampleSpec('workers'), edge: 'site' },
  'preset small, standalone site': { spec: specWith({ synapse: { workers: { preset: 'small' } } }), edge: 'site' },
  'every stream writer, two of each pool, standalone site': { spec: specWith(EVERY_WRITER), edge: 'site' },
  'examples/workers-microservice (recommended), router': { spec: exampleSpec('workers-microservice'), edge: 'router' },
  'preset small, router': { spec: specWith(MICROSERVICE, { synapse: { workers: { preset: 'small' } } }), edge: 'router' },
  'every stream writer, two of each pool, router': { spec: specWith(MICROSERVICE, EVERY_WRITER), edge: 'router' },
}

/** Paths the table does not list: only the main process may serve them. */
const MAIN_ONLY = [
  '/_matrix/client/v3/account/password',
  '/_matrix/client/v3/logout',
  '/_matrix/client/v3/refresh',
  '/_matrix/client/v3/login/sso/redirect',
  '/_matrix/client/v3/register/email/requestToken',
  '/_matrix/client/v1/login/get_token',
  '/_matrix/client/v3/rooms/!AbCdEf:example.com/upgrade',
  '/_matrix/client/v3/rooms/!AbCdEf:example.com/forget',
  '/_matrix/client/v3/user/@alice:example.com/openid/request_token',
  '/_matrix/client/unstable/org.matrix.simplified_msc3575/sync',
  '/_matrix/key/v2/server',
  '/_matrix/federation/v1/openid/userinfo',
  '/_synapse/client/pick_idp',
  '/_synapse/client/new_user_consent',
]

/** Words random paths are built from: the table's own, so they collide with its patterns. */
const WORDS = [
  'rooms',
  '!AbCdEf:example.com',
  'send',
  'state',
  'typing',
  'receipt',
  'sync',
  'keys',
  'upload',
  'query',
  'account_data',
  'tags',
  'pushrules',
  'presence',
  'messages',
  'profile',
  'join',
  'devices',
  'media',
  'download',
  'user',
  '@alice:example.com',
  'm.room.message',
  'txn1',
  'sendToDevice',
  'directory',
  'room',
  'relations',
  'event',
  'login',
  'register',
  'publicRooms',
  'v1',
  'v3',
]

function probesFor(seed: number): Probe[] {
  const probes: Probe[] = []
  let n = 0
  for (const [patterns, methods] of ORACLE_SAMPLE_LISTS) {
    for (const pattern of patterns) {
      for (const path of regexSamples(pattern, 3, seed + n++)) for (const method of methods) probes.push({ method, path, purpose: 'table' })
    }
  }
  for (const prefix of ORACLE_TABLE.media_repository.prefixes) {
    for (const path of regexSamples(prefix, 3, seed + n++, true))
      for (const method of ['GET', 'POST']) probes.push({ method, path, purpose: 'table' })
  }
  for (const path of MAIN_ONLY) probes.push({ method: 'GET', path, purpose: 'main-only' }, { method: 'POST', path, purpose: 'main-only' })
  const randomPath = fc
    .tuple(
      fc.constantFrom('/_matrix/client/', '/_matrix/federation/v1/', '/_matrix/media/v3/', '/_matrix/client/v1/'),
      fc.constantFrom('v3', 'r0', 'unstable', 'api/v1'),
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 }),
    )
    .map(([root, version, words]) => `${root}${root.endsWith('v1/') || root.includes('media') ? '' : `${version}/`}${words.join('/')}`)
  for (const [path, method] of fc.sample(fc.tuple(randomPath, fc.constantFrom('GET', 'PUT', 'POST')), { seed, numRuns: 300 })) {
    probes.push({ method, path, purpose: 'random' })
  }
  // Stickiness: one token, room or remote address sends several requests.
  for (let t = 0; t < 12; t++) {
    for (let i = 0; i < 3; i++) {
      probes.push({
        method: 'GET',
        path: '/_matrix/client/v3/sync',
        headers: { Authorization: `Bearer syt_token_${t}` },
        purpose: `token ${t}`,
      })
    }
    probes.push({ method: 'GET', path: `/_matrix/client/v3/sync?access_token=syt_token_${t}`, purpose: `token ${t}` })
  }
  for (let r = 0; r < 12; r++) {
    const room = `!room${r}:example.com`
    for (let i = 0; i < 3; i++)
      probes.push({ method: 'PUT', path: `/_matrix/client/v3/rooms/${room}/send/m.room.message/txn${i}`, purpose: `room ${r}` })
    probes.push({ method: 'GET', path: `/_matrix/client/v3/rooms/${room}/messages`, purpose: `room ${r}` })
  }
  for (let a = 0; a < 12; a++) {
    for (let i = 0; i < 3; i++) {
      probes.push({
        method: 'PUT',
        path: `/_matrix/federation/v1/send/txn${a}-${i}`,
        source: `127.200.0.${a + 1}`,
        purpose: `address ${a}`,
      })
    }
  }
  return probes
}

/** Every pattern of the oracle with the methods its samples are sent with. */
function oraclePatterns(): { pattern: string; methods: readonly string[]; prefix: boolean }[] {
  return [
    ...ORACLE_SAMPLE_LISTS.flatMap(([patterns, methods]) => patterns.map((pattern) => ({ pattern, methods, prefix: false }))),
    ...ORACLE_TABLE.media_repository.prefixes.map((pattern) => ({ pattern, methods: ['GET', 'POST'], prefix: true })),
  ]
}

/** Why an answer breaks the property (undefined when it keeps it); `strict` also wants a worker whenever one must serve. */
function wrongness(spec: DeploymentSpec, probe: Probe, answer: Answer, strict: boolean): string | undefined {
  const allowed = allowedProcesses(spec, probe.method, probe.path)
  if (allowed.has('refused')) return answer.status === 404 && answer.upstream === null ? undefined : 'not refused'
  if (answer.upstream === null || !allowed.has(answer.upstream)) return `allowed: ${[...allowed].join(', ')}`
  if (strict && answer.upstream === 'main' && workerExpected(spec, probe.method, probe.path)) return 'a worker must serve it'
  return undefined
}

const where = ({ probe, answer, why }: { probe: Probe; answer: Answer; why?: string }) =>
  `${probe.method} ${probe.path} → ${answer.upstream ?? `${answer.status}${answer.error === undefined ? '' : ` ${answer.error}`}`}${why === undefined ? '' : ` (${why})`}`

describe.each(Object.keys(CASES))('Synapse worker routing, %s', (label) => {
  const { spec, edge } = CASES[label]!
  const probes = probesFor(2026)
  let answers: Answer[] = []

  beforeAll(() => {
    answers = runProbes(spec, edge, edgeModel(spec, edge), probes)
  }, 300_000)

  const answered = (purpose: (p: string) => boolean) =>
    probes.flatMap((probe, index) => (purpose(probe.purpose) ? [{ probe, answer: answers[index]! }] : []))

  it('sends samples of every pattern of the table to a process upstream allows, to a worker whenever one must serve, and refuses the admin API', () => {
    const wrong = answered((p) => p === 'table').flatMap(({ probe, answer }) => {
      const why = wrongness(spec, probe, answer, true)
      return why === undefined ? [] : [{ probe, answer, why }]
    })
    expect(wrong.map(where)).toEqual([])
    // Every pattern of the oracle was sampled and answered.
    for (const { pattern, prefix } of oraclePatterns()) {
      const test = prefix ? (path: string) => path.startsWith(pattern) : (path: string) => new RegExp(pattern).test(path)
      expect(
        answered((p) => p === 'table').some(({ probe, answer }) => test(probe.path) && answer.status !== 0),
        pattern,
      ).toBe(true)
    }
  })

  it('sends paths only the main process may serve to it', () => {
    expect(
      answered((p) => p === 'main-only')
        .filter(({ answer }) => answer.upstream !== 'main')
        .map(where),
    ).toEqual([])
  })

  it('keeps to the rule for random paths made of the table’s words', () => {
    const wrong = answered((p) => p === 'random').filter(({ probe, answer }) => {
      const allowed = allowedProcesses(spec, probe.method, probe.path)
      return answer.upstream === null ? !allowed.has('refused') && answer.status !== 404 : !allowed.has(answer.upstream)
    })
    expect(wrong.map(where)).toEqual([])
  })

  it('puts every worker with public requests to work', () => {
    const reached = new Set(answers.map((answer) => answer.upstream))
    const serving = synapseWorkers(spec).filter((worker) => WORKER_CATALOGUE[worker.kind].serves.length > 0)
    expect(serving.length).toBeGreaterThan(0)
    for (const worker of serving) expect(reached.has(worker.name), worker.name).toBe(true)
  })

  it.each(['token', 'room', 'address'])('sticks to one worker per %s, and spreads different ones', (kind) => {
    const groups = new Map<string, Set<string | null>>()
    for (const { probe, answer } of answered((p) => p.startsWith(`${kind} `))) {
      groups.set(probe.purpose, (groups.get(probe.purpose) ?? new Set()).add(answer.upstream))
    }
    expect(groups.size).toBe(12)
    for (const [purpose, upstreams] of groups) expect([...upstreams], purpose).toHaveLength(1)
    const used = new Set([...groups.values()].map((set) => [...set][0]))
    const pool = synapseWorkers(spec)
      .filter((w) => w.kind === poolKind(spec, kind === 'address' ? 'federation' : 'client'))
      .map((w) => w.name)
    for (const upstream of used) expect(pool).toContain(upstream)
    expect(used.size > 1).toBe(pool.length > 1)
  })
})

describe.each(['examples/workers (recommended), standalone site', 'examples/workers-microservice (recommended), router'])(
  'the property fails when a route is missing, %s',
  (label) => {
    const { spec, edge } = CASES[label]!
    // One sample per pattern and method: enough to notice a missing route, cheap to send per mutant.
    const probes = oraclePatterns().flatMap(({ pattern, methods, prefix }, n) =>
      regexSamples(pattern, 1, 7 + n, prefix).flatMap((path) => methods.map((method) => ({ method, path, purpose: 'table' }))),
    )
    const workerRoutes = routes(spec).filter((route) => route.target.kind === 'pool' && route.target.pool.processes !== 'main')

    it.each(workerRoutes.map((route) => route.name))(
      'without the route %s, some sample reaches the wrong process',
      (name) => {
        const route = workerRoutes.find((r) => r.name === name)!
        const model = edgeModel(spec, edge)
        const mutant = withoutRoute(model, route)
        expect(JSON.stringify(mutant)).not.toEqual(JSON.stringify(model))
        const answers = runProbes(spec, edge, mutant, probes)
        const wrong = probes.filter((probe, index) => wrongness(spec, probe, answers[index]!, true) !== undefined)
        expect(wrong.length, `removing ${name} went unnoticed`).toBeGreaterThan(0)
      },
      120_000,
    )
  },
)

/** The kind that serves an API's pool in a spec: its own pool, else the generic one. */
function poolKind(spec: DeploymentSpec, api: 'client' | 'federation'): string {
  return synapseWorkers(spec).some((w) => w.kind === api) ? api : 'generic'
}
