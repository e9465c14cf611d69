// SYNAPSE ORACLES for workers: the main homeserver.yaml with each worker file, as Synapse reads
// them (repeated --config-path), checked by Synapse's published config schema and by Synapse's
// own config classes (the installed Synapse, in a private mount namespace where /config and
// /secrets hold the rendered files and test secrets). Real Synapse then says what each process
// would do: which streams it writes, which duties it runs, whether it serves media.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import {
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  SECRET_FILES,
  WORKER_CATALOGUE,
  synapseWorkers,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { afterAll, describe, expect, it } from 'vitest'
import { renderHomeserver, renderSynapseWorker } from '../src/index.js'
import { requireTool, TEST_SECRETS } from './_bundle-support.js'
import { FRAGMENTS, REPO_ROOT, exampleSpec, readYaml, specWith } from './_renderer-fixtures.js'
import { runWithMappedPaths } from './support/mapped-root.js'

const ORACLE_DIR = resolve(REPO_ROOT, '../shared/oracles/synapse')
const ORACLE_NODE_MODULES = resolve(REPO_ROOT, 'packages/config-schema')
const CHECK_SCRIPT = resolve(import.meta.dirname, 'support/synapse-config-check.py')
const work = mkdtempSync(join(tmpdir(), 'synapse-workers-oracle-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Streams the published schema types as one string although Synapse takes a list (a known schema defect). */
const SCHEMA_STRING_STREAMS = ['events', 'typing', 'to_device', 'account_data', 'receipts', 'presence', 'push_rules', 'device_lists']

const VARIANTS: Record<string, DeploymentSpec> = {
  'examples/workers': exampleSpec('workers'),
  'examples/workers-microservice': exampleSpec('workers-microservice'),
  small: specWith({ synapse: { workers: { preset: 'small' } } }),
  'small without federation': specWith(FRAGMENTS.noFederation, { synapse: { workers: { preset: 'small' } } }),
  'every stream writer, several where allowed': specWith({
    synapse: {
      workers: {
        preset: 'recommended',
        pools: {
          eventPersister: 2,
          media: 2,
          typing: 1,
          toDevice: 1,
          accountData: 1,
          receipts: 2,
          presence: 1,
          pushRules: 1,
          deviceLists: 2,
          federationSender: 2,
          pusher: 2,
        },
      },
    },
  }),
}

interface Rendered {
  readonly dir: string
  readonly homeserver: string
  readonly workers: readonly { readonly name: string; readonly file: string }[]
}

function renderInto(name: string, spec: DeploymentSpec): Rendered {
  const dir = join(work, name.replace(/[^a-z0-9]+/g, '-'))
  mkdirSync(join(dir, 'config/workers'), { recursive: true })
  mkdirSync(join(dir, 'secrets'), { recursive: true })
  const homeserver = join(dir, 'config/homeserver.yaml')
  writeFileSync(homeserver, renderHomeserver(spec))
  const workers = synapseWorkers(spec).map((worker) => {
    const file = join(dir, `config/workers/${worker.name}.yaml`)
    writeFileSync(file, renderSynapseWorker(spec, worker))
    return { name: worker.name, file }
  })
  const secrets: Record<string, string> = {
    ...Object.fromEntries(Object.entries(TEST_SECRETS).map(([key, value]) => [SECRET_FILES[key as keyof typeof TEST_SECRETS], value])),
    [SECRET_FILES.synapseWorkerReplicationSecret]: 'test-only-worker-replication-secret-0123456789',
    [DERIVED_SECRET_FILES.synapsePgpass]: '*:*:*:synapse:test-only\n',
  }
  for (const [file, value] of Object.entries(secrets)) writeFileSync(join(dir, 'secrets', file), value)
  return { dir, homeserver, workers }
}

function schemaOracle(files: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ORACLE_DIR, 'validate.mjs'), ...files], {
    env: { ...process.env, ORACLE_NODE_MODULES },
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (result.status === 2) throw new Error(`Synapse oracle setup error: ${result.stderr}`)
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

/** The schema's complaints about list-valued `stream_writers` that Synapse itself accepts. */
function expectedFalsePositives(homeserverText: string): string[] {
  const writers = ((readYaml(homeserverText) as { stream_writers?: Record<string, unknown> }).stream_writers ?? {}) as Record<
    string,
    unknown
  >
  return SCHEMA_STRING_STREAMS.filter((stream) => Array.isArray(writers[stream])).map(
    (stream) => `/stream_writers/${stream}: must be string {"type":"string"}`,
  )
}

interface ProcessView {
  readonly file: string
  readonly instance?: string
  readonly error?: string
  readonly sends_federation: boolean
  readonly pushes: boolean
  readonly background_tasks: boolean
  readonly user_directory: boolean
  readonly appservices: boolean
  readonly media_repo: boolean
  readonly writes: readonly string[]
  readonly instance_map: readonly string[]
  readonly replication_secret: boolean
  readonly resources: readonly string[]
}

/** Runs the installed Synapse's config loader on the main and every worker, /config and /secrets mapped. */
function realSynapse(rendered: Rendered): ProcessView[] {
  const python = requireTool('synapse-python')
  const inside = (file: string) => `${CONTAINER_PATHS.synapseConfigDir}${file.slice(join(rendered.dir, 'config').length)}`
  const result = runWithMappedPaths(
    {
      [CONTAINER_PATHS.synapseConfigDir]: join(rendered.dir, 'config'),
      [CONTAINER_PATHS.secretsDir]: join(rendered.dir, 'secrets'),
      '/oracle': dirname(CHECK_SCRIPT),
    },
    [python, `/oracle/${basename(CHECK_SCRIPT)}`, inside(rendered.homeserver), ...rendered.workers.map((w) => inside(w.file))],
  )
  const lines = result.stdout.trim().split('\n').filter(Boolean)
  if (lines.length === 0) throw new Error(`Synapse's config loader printed nothing: ${result.stderr}`)
  return lines.map((line) => JSON.parse(line) as ProcessView)
}

describe.each(Object.keys(VARIANTS))('Synapse workers of %s', (name) => {
  const spec = VARIANTS[name]!
  const rendered = renderInto(name, spec)
  const homeserverText = readFileSync(rendered.homeserver, 'utf8')

  it('has workers', () => {
    expect(rendered.workers.length).toBeGreaterThan(0)
  })

  // Workers of one kind differ only in name and ports: one of each kind is checked.
  const kinds = new Set<string>()
  const firstOfEachKind = rendered.workers.filter((worker) => {
    const kind = synapseWorkers(spec).find((w) => w.name === worker.name)!.kind
    return !kinds.has(kind) && kinds.add(kind) !== undefined
  })
  it.each(firstOfEachKind.map((worker) => [worker.name, worker.file] as const))(
    'homeserver.yaml + %s pass the published schema (but for the list-valued stream writers it mistypes)',
    (_worker, file) => {
      const result = schemaOracle([rendered.homeserver, file])
      const problems = result.stdout.split('\n').filter((line) => line.startsWith('/'))
      expect(problems.sort()).toEqual(expectedFalsePositives(homeserverText).sort())
      expect(result.stderr).not.toContain('warning')
      expect(result.status).toBe(problems.length === 0 ? 0 : 1)
    },
  )

  it("real Synapse loads every process's config, and each does exactly its share", () => {
    const views = realSynapse(rendered)
    expect(views.filter((view) => view.error !== undefined)).toEqual([])
    const main = views[0]!
    expect(main.instance).toBe('master')
    const workers = synapseWorkers(spec)
    expect(views.slice(1).map((view) => view.instance)).toEqual(workers.map((worker) => worker.name))
    const of = (kind: string) => workers.filter((worker) => worker.kind === kind).map((worker) => worker.name)
    const doing = (duty: keyof ProcessView) => views.filter((view) => view[duty] === true).map((view) => view.instance)
    const orMain = (names: string[]) => (names.length > 0 ? names : ['master'])
    expect(doing('sends_federation')).toEqual(orMain(of('federationSender')))
    expect(doing('pushes')).toEqual(orMain(of('pusher')))
    expect(doing('background_tasks')).toEqual(orMain(of('background')))
    expect(doing('user_directory')).toEqual(orMain(of('userDirectory')))
    expect(doing('appservices')).toEqual(orMain(of('appservice')))
    // The main process stops loading the media repository exactly when media workers exist.
    expect(main.media_repo).toBe(of('media').length === 0)
    for (const view of views.slice(1)) {
      const worker = workers.find((w) => w.name === view.instance)!
      const traits = WORKER_CATALOGUE[worker.kind]
      expect(view.writes, view.instance).toEqual(traits.streams)
      expect(view.media_repo, view.instance).toBe(worker.kind === 'media' || of('media').length === 0)
      expect(view.instance_map, view.instance).toContain('master')
      for (const writer of views.filter((v) => v.writes.length > 0 && v.instance !== 'master'))
        expect(view.instance_map).toContain(writer.instance)
      const expected = traits.serves.filter((api) => api !== 'federation' || spec.synapse.federation.enabled)
      expect(view.resources, view.instance).toEqual(
        [...(expected.length === 0 ? ['health'] : expected), ...(traits.streams.length > 0 ? ['replication'] : [])].sort(),
      )
    }
    // Every stream has a writer: a worker of its kind, else the main process.
    const streams = ['events', 'typing', 'to_device', 'account_data', 'receipts', 'presence', 'push_rules', 'device_lists']
    for (const stream of streams) {
      const writers = views.filter((view) => view.writes.includes(stream)).map((view) => view.instance)
      const workerWriters = workers.filter((w) => WORKER_CATALOGUE[w.kind].streams.includes(stream as never)).map((w) => w.name)
      expect(writers, stream).toEqual(orMain(workerWriters))
    }
    // The main process keeps writing quarantined media changes (its background update does).
    const quarantine = views.filter((view) => view.writes.includes('quarantined_media_changes')).map((view) => view.instance)
    expect(quarantine).toEqual(['master', ...of('media')])
    expect(views.every((view) => view.replication_secret)).toBe(true)
    expect(main.resources).toContain('replication')
    // Real Synapse runs once per process (30 s bound each): vitest's 5 s default fails under load.
  }, 120_000)
})
