// THE ROUTING PROPERTY, with the real nginx: the rendered standalone site runs in a private
// network namespace with one stub per Synapse process (each answers with its name), and
// requests are sent to it. For every pattern of Synapse's worker endpoint table, sample paths
// (several per pattern, built at random from the pattern) reach a process upstream allows to
// serve them (worker-routing-oracle.ts, read from the oracle file); paths only the main process
// may serve reach it; random paths built from the table's words obey the same rule; the admin
// API is refused. Sync sticks to a worker per access token, room traffic per room, inbound
// federation per client address.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  CONTAINER_PATHS,
  deriveValues,
  directive,
  synapseWorkers,
  tlsCertificatePaths,
  WORKER_CATALOGUE,
  workerPorts,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { printNginx } from '../src/_nginx.js'
import { renderNginxSite } from '../src/nginx-site.js'
import { exampleSpec, specWith } from './_renderer-fixtures.js'
import { requireTool } from './_bundle-support.js'
import { namespaceCommand, prepareNginxPrefix, requireRootForNamespaces, type NginxPrefix } from './support/nginx-harness.js'
import { regexSamples } from './support/regex-samples.js'
import { allowedProcesses, ORACLE_TABLE } from './support/worker-routing-oracle.js'

const SPECS: Record<string, DeploymentSpec> = {
  'examples/workers (recommended)': exampleSpec('workers'),
  'preset small': specWith({ synapse: { workers: { preset: 'small' } } }),
  'every stream writer, two of each pool': specWith({
    synapse: {
      workers: {
        preset: 'recommended',
        pools: { federation: 2, media: 2, typing: 1, toDevice: 1, accountData: 1, receipts: 2, presence: 1, pushRules: 1, deviceLists: 2 },
      },
    },
  }),
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

interface Probe {
  readonly method: string
  readonly path: string
  readonly headers?: Record<string, string>
  readonly source?: string
  /** Why it is sent: `table`, `main-only`, `random`, or a stickiness group. */
  readonly purpose: string
}

interface Answer {
  readonly status: number
  readonly upstream: string | null
  readonly error?: string
}

function probesFor(seed: number): Probe[] {
  const probes: Probe[] = []
  const g = ORACLE_TABLE.generic_worker
  const lists: [readonly string[], readonly string[]][] = [
    [g.any_method, ['GET', 'POST']],
    [g.get_only, ['GET', 'PUT']],
    [g.room_sticky_pagination, ['GET']],
    [g.sso_single_process, ['GET']],
    [Object.values(ORACLE_TABLE.stream_writers).flat(), ['GET', 'PUT']],
    [ORACLE_TABLE.user_directory_search, ['POST']],
    [ORACLE_TABLE.media_repository.admin_regexes, ['GET']],
  ]
  let n = 0
  for (const [patterns, methods] of lists) {
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

/** One stub per Synapse process on its HTTP port, answering with the process's name. */
function stubs(spec: DeploymentSpec): string {
  const processes = [
    { name: 'main', port: spec.synapse.httpPort },
    ...synapseWorkers(spec).map((w) => ({ name: w.name, port: workerPorts(w).http })),
  ]
  return printNginx(
    processes.map(({ name, port }) =>
      directive(
        'server',
        [],
        [directive('listen', [`127.0.0.1:${port}`]), directive('add_header', ['X-Upstream', name, 'always']), directive('return', [200])],
      ),
    ),
  )
}

describe.each(Object.keys(SPECS))('Synapse worker routing of the rendered site, %s', (label) => {
  const spec = SPECS[label]!
  const host = deriveValues(spec).matrixHost
  const probes = probesFor(2026)
  let answers: Answer[] = []
  let prepared: NginxPrefix | undefined

  beforeAll(() => {
    requireRootForNamespaces()
    const site = renderNginxSite(spec)
    const upstreamHosts = [...site.matchAll(/^ +server ([a-z0-9-]+):\d+;$/gm), ...site.matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map(
      (m) => m[1]!,
    )
    prepared = prepareNginxPrefix({
      prefixFiles: { [`conf.d/${spec.serviceName}.conf`]: site, 'conf.d/stubs.conf': stubs(spec) },
      hosts: [...new Set(upstreamHosts)],
      certificate: { ...tlsCertificatePaths(spec), names: [...deriveValues(spec).publicHosts] },
      // The well-known files the site serves itself are not under test here.
      files: { [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/client`]: '{}', [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/server`]: '{}' },
    })
    const requests = join(prepared.prefix, 'requests.json')
    writeFileSync(requests, JSON.stringify(probes))
    const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`
    const driver = [
      'set -eu',
      'ip link set lo up',
      `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(prepared.conf)} -e ${q(`${prepared.prefix}/error.log`)}`,
      `${q(process.execPath)} ${q(join(import.meta.dirname, 'support/route-driver.mjs'))} ${q(requests)} ${q(host)} 8443`,
      `kill "$(cat ${q(join(prepared.prefix, 'nginx.pid'))})"`,
    ].join('\n')
    const [program, args] = namespaceCommand(prepared, `sh -c ${q(driver)}`)
    const result = spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], {
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 64 << 20,
    })
    if (result.status !== 0) throw new Error(`the nginx run failed (${result.status}): ${result.stderr}`)
    answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Answer)
    if (answers.length !== probes.length) throw new Error(`${answers.length} answers for ${probes.length} requests`)
  }, 300_000)

  afterAll(() => prepared?.cleanup())

  const answered = (purpose: (p: string) => boolean) =>
    probes.flatMap((probe, index) => (purpose(probe.purpose) ? [{ probe, answer: answers[index]! }] : []))
  const where = ({ probe, answer }: { probe: Probe; answer: Answer }) =>
    `${probe.method} ${probe.path} → ${answer.upstream ?? `${answer.status}${answer.error === undefined ? '' : ` ${answer.error}`}`}`

  it('sends a sample of every pattern of the table to a process upstream allows, and refuses the admin API', () => {
    const wrong = answered((p) => p === 'table').filter(({ probe, answer }) => {
      const allowed = allowedProcesses(spec, probe.method, probe.path)
      return allowed.has('refused')
        ? answer.status !== 404 || answer.upstream !== null
        : answer.upstream === null || !allowed.has(answer.upstream)
    })
    expect(wrong.map(where)).toEqual([])
    expect(answered((p) => p === 'table').length).toBeGreaterThan(500)
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

/** The kind that serves an API's pool in a spec: its own pool, else the generic one. */
function poolKind(spec: DeploymentSpec, api: 'client' | 'federation'): string {
  return synapseWorkers(spec).some((w) => w.kind === api) ? api : 'generic'
}
