import { describe, expect, it } from 'vitest'
import {
  ElementConfigSchema,
  HOMESERVER_OVERRIDABLE_KEYS,
  HomeserverConfigSchema,
  LIVEKIT_TOP_LEVEL_KEYS,
  LiveKitConfigSchema,
  LiveKitRtcSchema,
  RtcTransportSchema,
  WellKnownClientSchema,
  WellKnownServerSchema,
  parseDeploymentSpec,
  rtcTransports,
} from '../src/index.js'

const spec = (extra: Record<string, unknown> = {}) =>
  parseDeploymentSpec({
    serverName: 'example.org',
    matrixHost: 'matrix.example.org',
    tls: { letsEncrypt: { email: 'a@example.org' } },
    ...extra,
  })

describe('output models', () => {
  it('rtcTransports derives the one LiveKit transport from the spec, or none', () => {
    expect(rtcTransports(spec())).toEqual([{ type: 'livekit', livekit_service_url: 'https://matrix.example.org/livekit/jwt' }])
    expect(rtcTransports(spec({ livekit: { host: 'rtc.example.org', jwtPath: '/jwt' } }))).toEqual([
      { type: 'livekit', livekit_service_url: 'https://rtc.example.org/jwt' },
    ])
    expect(rtcTransports(spec({ livekit: { enabled: false } }))).toEqual([])
    // Fresh objects each call: no shared references between files.
    expect(rtcTransports(spec())[0]).not.toBe(rtcTransports(spec())[0])
  })

  it('are strict: a typo is refused at every level', () => {
    expect(RtcTransportSchema.safeParse({ type: 'livekit', livekit_service_url: 'https://x.example', extra: 1 }).success).toBe(false)
    expect(WellKnownClientSchema.safeParse({ 'm.homeserver': { base_url: 'https://x.example', baseurl: 'x' } }).success).toBe(false)
    expect(WellKnownServerSchema.safeParse({ 'm.server': 'x.example:443', 'm.servers': 1 }).success).toBe(false)
    expect(LiveKitRtcSchema.safeParse({ tcp_port: 7881, udp_port: 7882, use_external_ip: true, use_ice_lite: true }).success).toBe(false)
    expect(ElementConfigSchema.shape).not.toHaveProperty('defaultTheme')
  })

  it('well-known server wants host:port and the client an https base URL', () => {
    expect(WellKnownServerSchema.safeParse({ 'm.server': 'matrix.example.org:443' }).success).toBe(true)
    expect(WellKnownServerSchema.safeParse({ 'm.server': 'matrix.example.org' }).success).toBe(false)
    expect(WellKnownClientSchema.safeParse({ 'm.homeserver': { base_url: 'http://x.example' } }).success).toBe(false)
    expect(
      WellKnownClientSchema.safeParse({ 'm.homeserver': { base_url: 'https://x.example' }, 'org.matrix.msc4143.rtc_foci': [] }).success,
    ).toBe(false)
  })

  it('homeserver: msc4143 only together with non-empty transports', () => {
    const issues = HomeserverConfigSchema.safeParse({}).error?.issues ?? []
    expect(issues.length).toBeGreaterThan(0)
    const base = minimalHomeserver()
    expect(HomeserverConfigSchema.safeParse(base).success).toBe(true)
    const bad = HomeserverConfigSchema.safeParse({
      ...base,
      experimental_features: { msc4143_enabled: true },
      matrix_rtc: { transports: [] },
    })
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['msc4143_enabled needs non-empty matrix_rtc.transports'])
  })

  it('LiveKit: rendered keys are LiveKit keys; the media ports are a mux port xor a range', () => {
    for (const key of Object.keys(LiveKitConfigSchema.shape)) expect(LIVEKIT_TOP_LEVEL_KEYS).toContain(key)
    expect(new Set(LIVEKIT_TOP_LEVEL_KEYS).size).toBe(LIVEKIT_TOP_LEVEL_KEYS.length)
    expect(
      LiveKitRtcSchema.safeParse({ tcp_port: 7881, udp_port: 7882, port_range_start: 1, port_range_end: 2, use_external_ip: true }).success,
    ).toBe(false)
    expect(LiveKitRtcSchema.safeParse({ tcp_port: 7881, use_external_ip: true }).success).toBe(false)
    expect(
      LiveKitRtcSchema.safeParse({ tcp_port: 7881, port_range_start: 50000, port_range_end: 60000, use_external_ip: true }).success,
    ).toBe(true)
  })

  it('overridable homeserver keys are keys of the model', () => {
    for (const key of HOMESERVER_OVERRIDABLE_KEYS) expect(Object.keys(HomeserverConfigSchema.shape)).toContain(key)
  })
})

function minimalHomeserver(): Record<string, unknown> {
  const rc = { per_second: 1, burst_count: 1 }
  return {
    server_name: 'example.org',
    public_baseurl: 'https://example.org/',
    report_stats: false,
    listeners: [
      { port: 8008, type: 'http', bind_addresses: ['0.0.0.0'], x_forwarded: true, resources: [{ names: ['client'], compress: false }] },
    ],
    database: {
      name: 'psycopg2',
      args: {
        user: 's',
        dbname: 's',
        host: 'db',
        port: 5432,
        passfile: '/secrets/p',
        cp_min: 1,
        cp_max: 2,
        keepalives_idle: 10,
        keepalives_interval: 10,
        keepalives_count: 3,
      },
    },
    redis: { enabled: true, host: 'redis', port: 6379, password_path: '/secrets/r' },
    log_config: '/config/log.config',
    media_store_path: '/data/media_store',
    max_upload_size: 1024,
    signing_key_path: '/secrets/a',
    macaroon_secret_key_path: '/secrets/b',
    registration_shared_secret_path: '/secrets/c',
    form_secret_path: '/secrets/d',
    enable_registration: false,
    trusted_key_servers: [],
    presence: { enabled: true },
    url_preview_enabled: false,
    caches: { global_factor: 0.5 },
    event_cache_size: '5K',
    rc_login: { address: rc, account: rc, failed_attempts: rc },
    rc_registration: rc,
  }
}
