// PostgreSQL's max_connections is derived from the Synapse processes' pools (main and every
// worker, cp_max each) plus the profile's reserve; a spec that sets it lower is refused.
import { describe, expect, it } from 'vitest'
import {
  deriveValues,
  postgresMaxConnections,
  resourceSettings,
  safeParseDeploymentSpec,
  synapseWorkers,
  type DeploymentSpecDocument,
} from '../src/index.js'
import { checkPostgresConnections } from '../src/checks/index.js'
import { spec } from './_helpers.js'

const small = spec({ synapse: { workers: { preset: 'small' } } })
const recommended = spec({ resources: 'large', synapse: { workers: { preset: 'recommended' } } })

describe('PostgreSQL max_connections', () => {
  it.each([
    ['no workers', spec()],
    ['small preset', small],
    ['recommended, large profile', recommended],
  ])('%s: one pool per Synapse process plus the reserve', (_label, parsed) => {
    const settings = resourceSettings(parsed.resources)
    const derived = deriveValues(parsed)
    expect(derived.synapseConnectionPools.map((pool) => pool.process)).toEqual(['main', ...synapseWorkers(parsed).map((w) => w.name)])
    for (const pool of derived.synapseConnectionPools) expect(pool.cpMax).toBe(settings.synapseDbPool.max)
    expect(derived.postgresMaxConnections).toBe(
      (1 + synapseWorkers(parsed).length) * settings.synapseDbPool.max + settings.postgres.reservedConnections,
    )
    expect(postgresMaxConnections(parsed)).toBe(derived.postgresMaxConnections)
  })

  it('keeps the numbers of the profiles without workers (30, 50, 100)', () => {
    expect(['small', 'medium', 'large'].map((resources) => postgresMaxConnections(spec({ resources } as DeploymentSpecDocument)))).toEqual([
      30, 50, 100,
    ])
    // small preset: main + generic worker + federation sender, 5 connections each, 25 reserved.
    expect(postgresMaxConnections(small)).toBe(40)
  })

  it('refuses an extra setting below what the pools may open, and accepts one at or above it', () => {
    const withMax = (max: number | string) => ({ ...small, postgres: { ...small.postgres, extraSettings: { max_connections: max } } })
    expect(checkPostgresConnections(withMax(40))).toEqual([])
    expect(checkPostgresConnections(withMax(200))).toEqual([])
    expect(checkPostgresConnections(withMax(39))).toMatchInlineSnapshot(`
      [
        {
          "code": "too_few_connections",
          "hint": "remove max_connections from postgres.extraSettings (messenger-stack renders 40), or set a whole number of at least 40.",
          "message": "postgres.extraSettings sets max_connections to 39, but the 3 Synapse processes may open 15 connections (cp_max 5 each) and the 'small' profile keeps 25 more for backups, deploy scripts and the superuser.",
          "path": [
            "postgres",
            "extraSettings",
            "max_connections",
          ],
        },
      ]
    `)
    expect(checkPostgresConnections(withMax('100'))).toHaveLength(1)
  })

  it('is one of the checks a parse runs', () => {
    const parsed = safeParseDeploymentSpec({
      serverName: 'example.org',
      tls: { letsEncrypt: { email: 'a@example.org' } },
      synapse: { workers: { preset: 'small' } },
      postgres: { extraSettings: { max_connections: 20 } },
    })
    expect(parsed.success).toBe(false)
    if (!parsed.success) expect(parsed.issues.map((issue) => issue.code)).toContain('too_few_connections')
  })
})
