// Values several files must agree on, determinism, and secret-free output across every
// renderer of this group.
import {
  deriveValues,
  lkJwtBind,
  parseDeploymentSpec,
  parseSecrets,
  resourceSettings,
  rtcTransports,
  synapseWorkers,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  renderElementConfig,
  renderHomeserver,
  renderLiveKit,
  renderLkJwtEnv,
  renderPostgresConf,
  renderSynapseLogConfig,
  renderSynapseWorker,
  renderWellKnownClient,
  renderWellKnownServer,
} from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, TEST_SECRETS, exampleInput, exampleSpec, readYaml, specWith } from './_renderer-fixtures.js'

const RENDERERS = {
  homeserver: renderHomeserver,
  logConfig: renderSynapseLogConfig,
  livekit: renderLiveKit,
  lkJwtEnv: renderLkJwtEnv,
  element: renderElementConfig,
  wellKnownClient: renderWellKnownClient,
  wellKnownServer: renderWellKnownServer,
} as const

const renderEverything = (spec: DeploymentSpec) =>
  Object.fromEntries(Object.entries(RENDERERS).map(([name, render]) => [name, render(spec)]))

const envOf = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )

const VARIANTS: Record<string, DeploymentSpec> = {
  ...Object.fromEntries(EXAMPLE_NAMES.map((name) => [name, exampleSpec(name)])),
  custom: specWith(FRAGMENTS.delegated, { livekit: { host: 'rtc.example.org', keyName: 'key-2', jwtPath: '/rtc/jwt' } }),
}

describe('coupled values', () => {
  it.each(Object.keys(VARIANTS))('%s: every file agrees', (name) => {
    const spec = VARIANTS[name]!
    const hs = readYaml(renderHomeserver(spec)) as Record<string, any>
    const lk = readYaml(renderLiveKit(spec)) as Record<string, any>
    const env = envOf(renderLkJwtEnv(spec))
    const element = JSON.parse(renderElementConfig(spec))
    const client = JSON.parse(renderWellKnownClient(spec))
    // Hostnames: public_baseurl = Element's and the well-known base URL + '/'.
    expect(hs.public_baseurl).toBe(`${element.default_server_config['m.homeserver'].base_url}/`)
    expect(hs.public_baseurl).toBe(`${client['m.homeserver'].base_url}/`)
    expect(element.default_server_config['m.homeserver'].server_name).toBe(hs.server_name)
    // MatrixRTC: transports endpoint = Synapse's well-known answer = static well-known.
    expect(hs.matrix_rtc.transports).toEqual(client['org.matrix.msc4143.rtc_foci'])
    expect(hs.extra_well_known_client_content['org.matrix.msc4143.rtc_foci']).toEqual(client['org.matrix.msc4143.rtc_foci'])
    expect(hs.matrix_rtc.transports).toEqual(rtcTransports(spec))
    // LiveKit key: webhook api_key = LIVEKIT_KEY = keyName; full access = this server.
    expect(lk.webhook.api_key).toBe(env.LIVEKIT_KEY)
    expect(env.LIVEKIT_KEY).toBe(spec.livekit.keyName)
    expect(env.LIVEKIT_FULL_ACCESS_HOMESERVERS).toBe(hs.server_name)
    expect(env.LIVEKIT_URL).toBe(deriveValues(spec).livekitSfuUrl)
    expect(env.LIVEKIT_JWT_BIND).toBe(lkJwtBind(spec))
    // The SFU URL and the transport point at the same LiveKit host.
    expect(new URL(env.LIVEKIT_URL!).host).toBe(new URL(hs.matrix_rtc.transports[0].livekit_service_url).host)
    expect(lk.port).toBe(spec.livekit.httpPort)
    expect(hs.max_upload_size).toBe(deriveValues(spec).maxUploadBytes)
  })

  it.each([...Object.keys(VARIANTS), 'small preset'])(
    '%s: PostgreSQL max_connections covers the pool of every Synapse process, and the reserve',
    (name) => {
      const spec = VARIANTS[name] ?? specWith({ synapse: { workers: { preset: 'small' } } })
      const hs = readYaml(renderHomeserver(spec)) as Record<string, any>
      const workers = synapseWorkers(spec).map((worker) => readYaml(renderSynapseWorker(spec, worker)) as Record<string, any>)
      // Workers read the database section of homeserver.yaml: none brings a pool of another size.
      for (const worker of workers) expect(worker).not.toHaveProperty('database')
      const conf = renderPostgresConf(spec)
      const max = Number(/^max_connections = (\d+)$/m.exec(conf)?.[1])
      const pools = (1 + workers.length) * hs.database.args.cp_max
      expect(max).toBe(pools + resourceSettings(spec.resources).postgres.reservedConnections)
      // Beyond the pools: PostgreSQL's 3 superuser slots, a backup and the deploy scripts' psql.
      expect(max - pools).toBeGreaterThanOrEqual(5)
      expect(max).toBe(deriveValues(spec).postgresMaxConnections)
    },
  )

  it('Synapse answers /.well-known/matrix/server exactly like the static file whenever it serves it', () => {
    let served = 0
    for (const spec of Object.values(VARIANTS)) {
      const hs = readYaml(renderHomeserver(spec)) as Record<string, any>
      if (hs.serve_server_wellknown !== true) continue
      served++
      // Synapse answers "<server_name>:443" (server_name has no port here).
      expect(JSON.parse(renderWellKnownServer(spec))).toEqual({ 'm.server': `${hs.server_name}:443` })
    }
    expect(served).toBeGreaterThan(0)
  })
})

function shuffleKeysDeep(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeysDeep(item, next))
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
    for (let i = keys.length - 1; i > 0; i--) {
      const j = next() % (i + 1)
      ;[keys[i], keys[j]] = [keys[j]!, keys[i]!]
    }
    return Object.fromEntries(keys.map((key) => [key, shuffleKeysDeep((value as Record<string, unknown>)[key], next)]))
  }
  return value
}

describe('determinism', () => {
  it('same spec, same bytes, whatever the key order of the input and however often rendered', () => {
    const inputs = EXAMPLE_NAMES.map((name) => {
      const input = exampleInput(name)
      return {
        ...input,
        synapse: {
          ...(input.synapse as object),
          extraConfig: { user_directory: { search_all_users: true, enabled: true }, admin_contact: 'mailto:a@example.org' },
        },
        livekit: { ...(input.livekit as object), extraConfig: { region: 'eu', limit: { num_tracks: 10, bytes_per_sec: 1000 } } },
        elementWeb: {
          ...(input.elementWeb as object),
          extraConfig: { privacy_policy_url: 'https://x.example/p', branding: { b: 1, a: 2 } },
        },
      }
    })
    const expected = inputs.map((input) => renderEverything(parseDeploymentSpec(input)))
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), fc.nat({ max: inputs.length - 1 }), (numbers, which) => {
        let i = 0
        const next = () => numbers[i++ % numbers.length]!
        const spec = parseDeploymentSpec(shuffleKeysDeep(inputs[which], next))
        expect(renderEverything(spec)).toEqual(expected[which])
        expect(renderEverything(spec)).toEqual(expected[which])
      }),
      { numRuns: 100 },
    )
  })

  it('every file uses LF line endings and ends with exactly one newline', () => {
    for (const spec of Object.values(VARIANTS)) {
      for (const text of Object.values(renderEverything(spec))) {
        expect(text).not.toContain('\r')
        expect(text.endsWith('\n')).toBe(true)
        expect(text.endsWith('\n\n')).toBe(false)
      }
    }
  })
})

describe('secret-free output', () => {
  it('no secret value appears in any rendered file, even with secrets in scope', () => {
    const secrets = parseSecrets(TEST_SECRETS)
    const values = Object.values(secrets)
    // The signing key's seed alone must not leak either.
    values.push(secrets.synapseSigningKey.split(' ')[2]!)
    const specs = [...Object.values(VARIANTS), specWith(FRAGMENTS.noCalls, FRAGMENTS.noFederation, FRAGMENTS.turnTls)]
    let checked = 0
    for (const spec of specs) {
      for (const [name, text] of Object.entries(renderEverything(spec))) {
        for (const secret of values) {
          expect(text.includes(secret), `${name} contains a secret`).toBe(false)
          checked++
        }
        expect(text).not.toMatch(/TEST-ONLY/)
      }
    }
    expect(checked).toBe(specs.length * Object.keys(RENDERERS).length * values.length)
  })

  it('secrets are referenced as files under /secrets', () => {
    const hs = readYaml(renderHomeserver(exampleSpec('standalone'))) as Record<string, any>
    for (const key of ['signing_key_path', 'macaroon_secret_key_path', 'registration_shared_secret_path', 'form_secret_path']) {
      expect(hs[key]).toMatch(/^\/secrets\/[a-z_.]+$/)
    }
    expect(hs.database.args.passfile).toMatch(/^\/secrets\//)
    expect(hs.redis.password_path).toMatch(/^\/secrets\//)
    expect(envOf(renderLkJwtEnv(exampleSpec('standalone'))).LIVEKIT_SECRET_FROM_FILE).toMatch(/^\/secrets\//)
  })
})
