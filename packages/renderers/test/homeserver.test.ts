import { HomeserverConfigSchema, SpecError, deriveValues } from '@messenger-stack/config-schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { homeserverModel, renderHomeserver } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, exampleSpec, readYaml, specWith } from './_renderer-fixtures.js'

type Yaml = Record<string, any>
const rendered = (text: string) => readYaml(text) as Yaml
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as Yaml

describe('renderHomeserver', () => {
  it.each(EXAMPLE_NAMES)('matches the golden file for %s', async (name) => {
    await expect(renderHomeserver(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/homeserver.yaml`)
  })

  it.each(EXAMPLE_NAMES)('%s: the model passes the strict output schema and prints back unchanged', (name) => {
    const spec = exampleSpec(name)
    const model = homeserverModel(spec)
    expect(() => HomeserverConfigSchema.parse(model)).not.toThrow()
    expect(rendered(renderHomeserver(spec))).toEqual(plain(model))
  })

  it('writes the facts the stack depends on', () => {
    const spec = exampleSpec('standalone')
    const hs = rendered(renderHomeserver(spec))
    expect(hs.public_baseurl).toBe('https://matrix.example.org/')
    expect(hs.listeners).toEqual([
      {
        port: 8008,
        type: 'http',
        bind_addresses: ['0.0.0.0'],
        x_forwarded: true,
        resources: [{ names: ['client', 'federation'], compress: false }],
      },
      // The admin socket: owner-only (0600), nothing proxies it, so no forwarded header is trusted.
      { path: '/data/admin.sock', mode: 0o600, type: 'http', x_forwarded: false, resources: [{ names: ['client'], compress: false }] },
    ])
    expect(hs.database.args).toMatchObject({ host: 'messenger-postgres', port: 5432, passfile: '/secrets/synapse.pgpass' })
    expect(hs.database.args).not.toHaveProperty('password')
    expect(hs.redis).toEqual({ enabled: true, host: 'messenger-redis', port: 6379, password_path: '/secrets/redis_password' })
    expect(hs.max_upload_size).toBe(deriveValues(spec).maxUploadBytes)
    expect(hs.report_stats).toBe(false)
    expect(hs.registration_requires_token).toBe(true)
    // serverName differs from matrixHost: Synapse would announce the wrong delegation.
    expect(hs).not.toHaveProperty('serve_server_wellknown')
    expect(rendered(renderHomeserver(exampleSpec('microservice'))).serve_server_wellknown).toBe(true)
  })

  it('sets the complete MatrixRTC set only together with transports', () => {
    const calls = rendered(renderHomeserver(exampleSpec('standalone')))
    expect(calls.experimental_features).toEqual({ msc3266_enabled: true, msc4143_enabled: true, msc4222_enabled: true })
    expect(calls.matrix_rtc.transports).toEqual([{ type: 'livekit', livekit_service_url: 'https://matrix.example.org/livekit/jwt' }])
    expect(calls.max_event_delay_duration).toBe('24h')
    expect(calls.rc_message).toEqual({ per_second: 0.5, burst_count: 30 })
    expect(calls.rc_delayed_event_mgmt).toEqual({ per_second: 1, burst_count: 20 })
    const none = rendered(renderHomeserver(specWith(FRAGMENTS.noCalls)))
    for (const key of [
      'experimental_features',
      'matrix_rtc',
      'max_event_delay_duration',
      'extra_well_known_client_content',
      'rc_message',
    ]) {
      expect(none).not.toHaveProperty(key)
    }
  })

  it('keeps the openid resource and closes federation when federation is off', () => {
    const hs = rendered(renderHomeserver(specWith(FRAGMENTS.noFederation)))
    expect(hs.listeners[0].resources[0].names).toEqual(['client', 'openid'])
    expect(hs.federation_domain_whitelist).toEqual([])
    expect(hs.trusted_key_servers).toEqual([])
  })

  it('renders registration modes, allow-list, previews and presence from the typed fields', () => {
    const open = rendered(renderHomeserver(specWith(FRAGMENTS.openRegistration)))
    expect(open).toMatchObject({ enable_registration: true, enable_registration_without_verification: true })
    expect(open).not.toHaveProperty('registration_requires_token')
    expect(rendered(renderHomeserver(specWith({}))).enable_registration).toBe(false)
    const allow = rendered(renderHomeserver(specWith({ synapse: { federation: { allowList: ['b.example', 'a.example', 'b.example'] } } })))
    expect(allow.federation_domain_whitelist).toEqual(['a.example', 'b.example'])
    const previews = rendered(renderHomeserver(specWith(FRAGMENTS.urlPreviews, FRAGMENTS.noPresence)))
    expect(previews.url_preview_enabled).toBe(true)
    expect(previews.url_preview_ip_range_blacklist).toEqual(
      expect.arrayContaining([
        '127.0.0.0/8',
        '10.0.0.0/8',
        '172.16.0.0/12',
        '192.168.0.0/16',
        '169.254.0.0/16',
        '::1/128',
        'fc00::/7',
        'fe80::/10',
      ]),
    )
    expect(previews.presence).toEqual({ enabled: false })
  })

  it('merges synapse.extraConfig last, sorted, replacing only overridable leaves in place', () => {
    const spec = specWith({
      synapse: {
        extraConfig: {
          user_directory: { search_all_users: true, enabled: true },
          admin_contact: 'mailto:a@example.org',
          rc_login: { address: { per_second: 1, burst_count: 9 } },
        },
      },
    })
    const text = renderHomeserver(spec)
    const keys = Object.keys(rendered(text))
    expect(keys.slice(-2)).toEqual(['admin_contact', 'user_directory'])
    expect(keys.indexOf('rc_login')).toBe(Object.keys(plain(homeserverModel(spec))).indexOf('rc_login'))
    // The user's leaves replace ours; the limits they did not write stay.
    expect(rendered(text).rc_login).toEqual({ ...homeserverModel(specWith({})).rc_login, address: { per_second: 1, burst_count: 9 } })
    expect(text).toContain('user_directory:\n  enabled: true\n  search_all_users: true\n')
  })

  it('refuses an owned key even when the spec skipped parsing', () => {
    const base = specWith({})
    const spec = { ...base, synapse: { ...base.synapse, extraConfig: { max_upload_size: '1G' } } }
    expect(() => renderHomeserver(spec)).toThrow(SpecError)
  })

  it('keeps hostile extraConfig string values inside their field', () => {
    const unit = fc.constantFrom(
      'a',
      ' ',
      ':',
      '\n',
      '\r',
      '#',
      '"',
      "'",
      '{',
      '}',
      '[',
      '-',
      '$',
      '&',
      '*',
      '!',
      '\\',
      '\t',
      '%',
      '@',
      '`',
      '|',
      '>',
      '?',
      'y',
      'e',
      's',
      '\u2028',
      '\u0000',
    )
    fc.assert(
      fc.property(fc.string({ unit }), (value) => {
        const spec = specWith({ synapse: { extraConfig: { admin_contact: value } } })
        const hs = rendered(renderHomeserver(spec))
        expect(hs.admin_contact).toBe(value)
        expect(Object.keys(hs)).toEqual([...Object.keys(plain(homeserverModel(spec))), 'admin_contact'])
      }),
      { numRuns: 100 },
    )
  })
})
