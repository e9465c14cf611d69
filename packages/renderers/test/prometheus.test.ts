// The Prometheus scrape config: its model, what it scrapes, and the real `promtool check config`
// (Prometheus's own loader, built by .ci/provision.sh) on every rendered variant.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  metricsTargets,
  parseDeploymentSpec,
  PrometheusConfigSchema,
  servicePorts,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { prometheusModel, renderPrometheusConfig } from '../src/prometheus.js'
import { EXAMPLES, exampleSpec, requireTool } from './_bundle-support.js'
import { readYaml } from './_renderer-fixtures.js'

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
const VARIANTS: Array<[string, DeploymentSpec]> = [
  ...EXAMPLES.map((name) => [`example ${name}`, exampleSpec(name)] as [string, DeploymentSpec]).filter(
    ([, s]) => s.monitoring !== undefined,
  ),
  ['metrics only, no calls', parseDeploymentSpec({ ...base, livekit: { enabled: false }, monitoring: {} })],
  [
    'microservice, exporters, own ports',
    parseDeploymentSpec({
      serverName: 'example.org',
      mode: 'microservice',
      serviceName: 'chat',
      monitoring: { synapseMetricsPort: 9100, livekitMetricsPort: 9101, postgresExporter: true, redisExporter: true },
    }),
  ],
]

const work = mkdtempSync(join(tmpdir(), 'ms-promtool-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function promtool(text: string, name: string): { status: number | null; output: string } {
  const file = join(work, `${name.replace(/[^a-z0-9]+/gi, '-')}.yml`)
  writeFileSync(file, text)
  const result = spawnSync(requireTool('promtool'), ['check', 'config', file], { encoding: 'utf8', timeout: 60_000 })
  if (result.error !== undefined) throw result.error
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

describe.each(VARIANTS)('prometheus.yml for %s', (label, spec) => {
  const text = renderPrometheusConfig(spec)

  it('promtool (Prometheus 3.16) accepts it', () => {
    const result = promtool(text, label)
    expect(result.output).toContain('SUCCESS')
    expect(result.status, result.output).toBe(0)
  })

  it('prints its model, which the strict schema accepts', () => {
    expect(readYaml(text)).toEqual(prometheusModel(spec))
    expect(PrometheusConfigSchema.safeParse(prometheusModel(spec)).success).toBe(true)
  })

  it('scrapes every metrics endpoint of the spec by container name, on ports nothing publishes', () => {
    const jobs = prometheusModel(spec).scrape_configs
    const targets = metricsTargets(spec)
    expect(jobs.map((job) => job.static_configs[0]!.targets[0])).toEqual(targets.map((target) => target.address))
    for (const target of targets.filter((t) => t.service !== 'prometheus')) {
      const port = servicePorts(spec).find((p) => p.service === target.service && p.name === 'metrics')
      expect(port?.published, target.job).toBeUndefined()
      expect(target.address).toBe(`${spec.serviceName}-${target.service}:${port?.container.start}`)
    }
    expect(jobs.find((job) => job.job_name === 'synapse')?.metrics_path).toBe('/_synapse/metrics')
    expect(jobs.some((job) => job.job_name === 'livekit')).toBe(spec.livekit.enabled)
    expect(jobs.some((job) => job.job_name === 'postgres')).toBe(spec.monitoring?.postgresExporter === true)
    expect(jobs.some((job) => job.job_name === 'redis')).toBe(spec.monitoring?.redisExporter === true)
  })
})

it('promtool is not a rubber stamp: it refuses two jobs of one name', () => {
  const spec = VARIANTS[0]![1]
  const text = renderPrometheusConfig(spec).replace('job_name: livekit', 'job_name: synapse')
  const result = promtool(text, 'duplicate-job')
  expect(result.status).not.toBe(0)
  expect(result.output).toContain('found multiple scrape configs with job name "synapse"')
})

it('is not rendered without monitoring', () => {
  expect(() => renderPrometheusConfig(exampleSpec('standalone'))).toThrow('only for a spec with monitoring')
})
