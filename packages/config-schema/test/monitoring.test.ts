// Metrics: the monitoring section, its ports and services, the exporters' credentials.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  derivedSecretFiles,
  enabledServices,
  metricsTargets,
  portUses,
  requiredSecrets,
  safeParseDeploymentSpec,
  serviceWorkload,
  servicePorts,
  type DeploymentSpecDocument,
} from '../src/index.js'
import { redisExporterTarget } from '../src/workload/services/redis-exporter.js'
import { ensureSecretsFolder, generateSecrets } from '../src/node.js'
import { spec } from './_helpers.js'

const everything: Partial<DeploymentSpecDocument> = {
  monitoring: { postgresExporter: true, redisExporter: true, prometheus: { enabled: true } },
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('monitoring', () => {
  it('turns on no service by itself: exporters and Prometheus are opt-in', () => {
    expect(enabledServices(spec({ monitoring: {} }))).toEqual(enabledServices(spec()))
    expect(enabledServices(spec(everything)).slice(-3)).toEqual(['postgres-exporter', 'redis-exporter', 'prometheus'])
    expect(metricsTargets(spec()).length).toBe(0)
    expect(metricsTargets(spec({ monitoring: {} })).map((t) => t.job)).toEqual(['synapse', 'livekit'])
    expect(metricsTargets(spec({ monitoring: {}, livekit: { enabled: false } })).map((t) => t.job)).toEqual(['synapse'])
  })

  it('publishes no port of a metrics endpoint, an exporter or Prometheus', () => {
    for (const s of [spec(everything), spec({ ...everything, mode: 'microservice', tls: undefined })]) {
      const targets = metricsTargets(s)
      expect(targets.map((t) => t.service)).toEqual(['synapse', 'livekit', 'postgres-exporter', 'redis-exporter', 'prometheus'])
      for (const target of targets) {
        const port = servicePorts(s).find((p) => p.service === target.service && p.container.start === target.port)
        expect(port?.published, target.service).toBeUndefined()
      }
      const host = portUses(s).filter((use) => use.scope === 'host')
      expect(host.map((use) => use.start)).not.toContain(9000)
      expect(host.some((use) => String(use.field[0]).includes('monitoring') || String(use.field[0]).includes('prometheus'))).toBe(false)
    }
  })

  it('reports a metrics port that clashes, naming both settings', () => {
    const result = safeParseDeploymentSpec({
      serverName: 'example.org',
      tls: { letsEncrypt: { email: 'a@example.org' } },
      synapse: { httpPort: 9000 },
      monitoring: { prometheus: { enabled: true } },
    })
    expect(result.success).toBe(false)
    const messages = result.success ? [] : result.issues.map((issue) => issue.message)
    expect(messages).toContain('TCP port 9000 is used by both monitoring.synapseMetricsPort and synapse.httpPort in the synapse container.')
  })

  it('refuses to run an exporter or Prometheus per colour', () => {
    const result = safeParseDeploymentSpec({
      serverName: 'example.org',
      mode: 'microservice',
      monitoring: { postgresExporter: true, prometheus: { enabled: true } },
      gateway: { colourSwitched: ['element-web', 'postgres-exporter', 'prometheus'] },
    })
    expect(result.success).toBe(false)
    const codes = result.success ? [] : result.issues.map((issue) => `${issue.code} ${issue.path.join('.')}`)
    expect(codes).toEqual(['stateful_colour gateway.colourSwitched.1', 'stateful_colour gateway.colourSwitched.2'])
  })
})

describe("the exporters' credentials", () => {
  it('postgres_exporter has a password of its own, needed only with the exporter', () => {
    expect(requiredSecrets(spec({ monitoring: {} }))).not.toContain('postgresExporterPassword')
    expect(requiredSecrets(spec(everything))).toContain('postgresExporterPassword')
    const exporter = serviceWorkload(spec(everything), 'postgres-exporter')
    expect(exporter.environment?.DATA_SOURCE_PASS_FILE).toBe('/secrets/postgres_exporter_password')
    expect(exporter.environment?.DATA_SOURCE_USER).toBe('postgres_exporter')
    expect(JSON.stringify(exporter.environment)).not.toMatch(/synapse_database_password|postgres_password/)
    expect(serviceWorkload(spec(everything), 'postgres').mounts).toContainEqual({ kind: 'secret', file: 'postgres_exporter_password' })
    expect(serviceWorkload(spec(), 'postgres').mounts).not.toContainEqual({ kind: 'secret', file: 'postgres_exporter_password' })
  })

  it("redis_exporter reads Redis's password from a derived JSON map keyed by the address it scrapes", () => {
    const s = spec(everything)
    const secrets = { ...generateSecrets(), redisPassword: 'pw "with" \\ quotes' }
    const file = derivedSecretFiles(s, secrets).find((f) => f.name === 'redis-exporter-passwords.json')
    expect(JSON.parse(file!.content)).toEqual({ [redisExporterTarget(s)]: secrets.redisPassword })
    expect(serviceWorkload(s, 'redis-exporter').environment?.REDIS_ADDR).toBe(redisExporterTarget(s))
    expect(derivedSecretFiles(spec(), secrets).some((f) => f.name === 'redis-exporter-passwords.json')).toBe(false)
  })

  it('the secrets step creates both only for a spec with the exporters', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ms-monitoring-')), 'secrets')
    dirs.push(dir.slice(0, -'/secrets'.length))
    await ensureSecretsFolder(dir, { spec: spec({ monitoring: {} }) })
    expect(() => statSync(join(dir, 'postgres_exporter_password'))).toThrow()
    expect(() => statSync(join(dir, 'redis-exporter-passwords.json'))).toThrow()
    const report = await ensureSecretsFolder(dir, { spec: spec(everything) })
    expect(report.files.find((f) => f.name === 'postgres_exporter_password')?.status).toBe('created')
    expect(report.files.find((f) => f.name === 'redis-exporter-passwords.json')?.status).toBe('refreshed')
    for (const name of ['postgres_exporter_password', 'redis-exporter-passwords.json'])
      expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600)
    const redis = readFileSync(join(dir, 'redis_password'), 'utf8')
    expect(Object.values(JSON.parse(readFileSync(join(dir, 'redis-exporter-passwords.json'), 'utf8')))).toEqual([redis])
  })
})
