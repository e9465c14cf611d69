// The worker model: presets and pool overrides, the conflicts validation explains, ports, and
// the replication secret that is born only when a spec has workers.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CONTAINER_PORTS,
  DeploymentSpecSchema,
  MAX_POOL_SIZE,
  parseDeploymentSpec,
  requiredSecrets,
  SECRET_FILES,
  safeParseDeploymentSpec,
  synapseWorkers,
  WORKER_KINDS,
  workerPorts,
  type DeploymentSpecDocument,
} from '../src/index.js'
import { checkWorkers, warnWorkersMemory } from '../src/checks/index.js'
import { ensureSecretsFolder, loadSecrets } from '../src/node.js'

const base: DeploymentSpecDocument = { serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } }
const withWorkers = (synapse: DeploymentSpecDocument['synapse']) => parseDeploymentSpec({ ...base, synapse })
const names = (synapse: DeploymentSpecDocument['synapse']) => synapseWorkers(withWorkers(synapse)).map((worker) => worker.name)

describe('worker presets and pools', () => {
  it('none runs no worker; small a generic worker and a federation sender', () => {
    expect(names({})).toEqual([])
    expect(names({ workers: { preset: 'small' } })).toEqual(['synapse-generic-1', 'synapse-federation-sender-1'])
  })

  it('recommended runs client and federation pools and one worker per duty', () => {
    expect(names({ workers: { preset: 'recommended' } })).toEqual([
      'synapse-client-1',
      'synapse-client-2',
      'synapse-federation-1',
      'synapse-event-persister-1',
      'synapse-federation-sender-1',
      'synapse-media-1',
      'synapse-pusher-1',
      'synapse-background-1',
      'synapse-user-directory-1',
    ])
  })

  it('leaves out what the spec gives nothing to do, and adds the appservice worker when it does', () => {
    const noFederation = names({ federation: { enabled: false }, workers: { preset: 'recommended' } })
    expect(noFederation.some((name) => name.startsWith('synapse-federation'))).toBe(false)
    expect(names({ federation: { enabled: false }, workers: { preset: 'small' } })).toEqual(['synapse-generic-1'])
    const noDirectory = names({ workers: { preset: 'recommended' }, extraConfig: { user_directory: { enabled: false } } })
    expect(noDirectory).not.toContain('synapse-user-directory-1')
    const bridges = names({ workers: { preset: 'recommended' }, extraConfig: { app_service_config_files: ['/config/bridge.yaml'] } })
    expect(bridges).toContain('synapse-appservice-1')
  })

  it('pools replace the preset count kind by kind; 0 removes a kind', () => {
    const grown = names({ workers: { preset: 'recommended', pools: { client: 4, media: 0, eventPersister: 2 } } })
    expect(grown.filter((name) => name.startsWith('synapse-client-'))).toHaveLength(4)
    expect(grown.filter((name) => name.startsWith('synapse-event-persister-'))).toEqual([
      'synapse-event-persister-1',
      'synapse-event-persister-2',
    ])
    expect(grown.some((name) => name.startsWith('synapse-media-'))).toBe(false)
    expect(names({ workers: { pools: { federationSender: 1 } } })).toEqual(['synapse-federation-sender-1'])
  })

  it('refuses unknown kinds and counts beyond the pool limit', () => {
    const unknown = safeParseDeploymentSpec({ ...base, synapse: { workers: { pools: { clientReader: 1 } } } })
    expect(unknown.success).toBe(false)
    const big = safeParseDeploymentSpec({ ...base, synapse: { workers: { pools: { client: MAX_POOL_SIZE + 1 } } } })
    expect(big.success).toBe(false)
  })
})

describe('checkWorkers', () => {
  // Parsed by zod alone: the spec checks would refuse these specs before checkWorkers sees them.
  const issues = (synapse: DeploymentSpecDocument['synapse']) =>
    checkWorkers(DeploymentSpecSchema.parse({ ...base, synapse })).map(
      (issue) => `${issue.code} ${issue.path.join('.')}: ${issue.message} (${issue.hint})`,
    )

  it('accepts every preset', () => {
    for (const preset of ['none', 'small', 'recommended'] as const) expect(issues({ workers: { preset } })).toEqual([])
  })

  it('explains conflicts', () => {
    expect(issues({ workers: { pools: { background: 2, typing: 2 } } })).toMatchInlineSnapshot(`
      [
        "worker_single_instance synapse.workers.pools.background: Only one background worker may run, but the spec asks for 2: Synapse hands this duty to a single process and does nothing to stop two from doing it twice. (set synapse.workers.pools.background to 1.)",
        "worker_single_instance synapse.workers.pools.typing: Only one typing worker may run, but the spec asks for 2: Synapse accepts exactly one writer of the typing stream. (set synapse.workers.pools.typing to 1.)",
      ]
    `)
    expect(issues({ workers: { preset: 'small', pools: { client: 2 } } })).toMatchInlineSnapshot(`
      [
        "worker_mix synapse.workers.preset: Generic workers serve client and federation requests alike, so beside client workers they would only take what those leave over, and sizing either pool would be guesswork. (use generic workers alone (preset small), or client workers without generic ones (preset recommended): set synapse.workers.pools.generic to 0 or remove the others.)",
      ]
    `)
    expect(issues({ federation: { enabled: false }, workers: { pools: { federationSender: 1, appservice: 1 } } })).toMatchInlineSnapshot(`
        [
          "worker_not_needed synapse.workers.pools.federationSender: A federationSender worker would have nothing to do: federation is off (synapse.federation.enabled: false). (turn federation on, or remove the count (presets leave federation workers out while federation is off).)",
          "worker_not_needed synapse.workers.pools.appservice: An appservice worker would have nothing to do: no application service is registered (synapse.extraConfig.app_service_config_files is empty). (register application services, or remove the count.)",
        ]
      `)
  })

  it('runs with the spec checks, so parsing a conflicting spec fails', () => {
    const result = safeParseDeploymentSpec({ ...base, synapse: { workers: { pools: { background: 2 } } } })
    expect(result.success).toBe(false)
  })

  it('refuses worker keys in synapse.extraConfig: synapse.workers sets them', () => {
    for (const extraConfig of [
      { stream_writers: { events: 'x' } },
      { instance_map: { main: { host: 'x', port: 1 } } },
      { worker_app: 'synapse.app.generic_worker' },
      { send_federation: false },
      { worker_replication_secret: 'inline' },
    ]) {
      const result = safeParseDeploymentSpec({ ...base, synapse: { extraConfig } })
      expect(result.success, JSON.stringify(extraConfig)).toBe(false)
    }
  })
})

describe('worker ports', () => {
  it('are unique across every kind at the largest pool size, and clear of the other services', () => {
    const seen = new Set<number>()
    for (const kind of WORKER_KINDS) {
      for (let index = 1; index <= MAX_POOL_SIZE; index++) {
        const ports = workerPorts({ kind, index, name: `x-${index}` })
        for (const port of [ports.http, ports.replication].filter((p): p is number => p !== undefined)) {
          expect(seen.has(port), `${kind} ${index} ${port}`).toBe(false)
          seen.add(port)
        }
      }
    }
    for (const port of Object.values(CONTAINER_PORTS)) expect(seen.has(port)).toBe(false)
    expect(Math.min(...seen)).toBeGreaterThan(9_999)
    expect(Math.max(...seen)).toBeLessThan(32_768) // below Linux's ephemeral range
  })
})

describe('the worker replication secret', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-worker-secret-'))
    dirs.push(dir)
    return join(dir, 'secrets')
  }
  const file = SECRET_FILES.synapseWorkerReplicationSecret
  const plain = parseDeploymentSpec(base)
  const workers = withWorkers({ workers: { preset: 'small' } })

  it('is needed only by specs with workers', () => {
    expect(requiredSecrets(plain)).not.toContain('synapseWorkerReplicationSecret')
    expect(requiredSecrets()).not.toContain('synapseWorkerReplicationSecret')
    expect(requiredSecrets(workers)).toContain('synapseWorkerReplicationSecret')
  })

  it('is born the first time a spec with workers comes, then never changes', async () => {
    const dir = folder()
    await ensureSecretsFolder(dir, { spec: plain })
    expect(readdirSync(dir)).not.toContain(file)
    // A folder without it is complete for a spec without workers.
    await expect(loadSecrets(dir, dir, plain)).resolves.toBeDefined()
    await expect(loadSecrets(dir, dir, workers)).rejects.toThrow(file)

    const report = await ensureSecretsFolder(dir, { spec: workers })
    expect(report.files.find((f) => f.name === file)?.status).toBe('created')
    const value = readFileSync(join(dir, file), 'utf8')
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await loadSecrets(dir, dir, workers)).synapseWorkerReplicationSecret).toBe(value)

    // Later runs, with or without workers, keep it as it is.
    for (const spec of [workers, plain]) {
      const again = await ensureSecretsFolder(dir, { spec })
      expect(again.files.find((f) => f.name === file)?.status).toBe('kept')
      expect(readFileSync(join(dir, file), 'utf8')).toBe(value)
    }
  })
})

describe('warnWorkersMemory', () => {
  const warn = (resources: 'small' | 'medium' | 'large', preset: 'none' | 'small' | 'recommended') =>
    warnWorkersMemory(DeploymentSpecSchema.parse({ ...base, resources, synapse: { workers: { preset } } })).map((issue) => issue.message)

  it('warns when the workers outgrow the host the profile stands for', () => {
    expect(warn('small', 'recommended')).toMatchInlineSnapshot(`
      [
        "With 9 Synapse workers the containers' memory limits add up to 4096 MiB, more than the 2 GB host the 'small' profile is for can back.",
      ]
    `)
    expect(warn('medium', 'recommended')).toHaveLength(1)
  })

  it('stays quiet for the small preset on small and medium hosts, and on large ones', () => {
    expect(warn('small', 'small')).toEqual([])
    expect(warn('medium', 'small')).toEqual([])
    expect(warn('large', 'recommended')).toEqual([])
    expect(warn('small', 'none')).toEqual([])
  })
})
