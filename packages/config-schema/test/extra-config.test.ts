import { describe, expect, it } from 'vitest'
import {
  extraConfigOwner,
  HomeserverConfigSchema,
  mergeExtraConfig,
  safeParseDeploymentSpec,
  SpecError,
  type SpecIssue,
} from '../src/index.js'

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } }
const issuesOf = (input: Record<string, unknown>): SpecIssue[] => {
  const result = safeParseDeploymentSpec({ ...base, ...input })
  return result.success ? [] : [...result.issues]
}
const brief = (issues: SpecIssue[]) => issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message} | ${i.hint}`)

describe('checkExtraConfig', () => {
  it('accepts keys nobody owns', () => {
    expect(
      issuesOf({
        synapse: { extraConfig: { user_directory: { enabled: true }, rc_login: { address: { per_second: 1, burst_count: 2 } } } },
        livekit: { extraConfig: { region: 'eu', limit: { num_tracks: 5 } } },
        elementWeb: { extraConfig: { privacy_policy_url: 'https://example.org/privacy' } },
      }),
    ).toEqual([])
  })

  it('refuses Synapse keys the SDK renders, naming the typed field', () => {
    expect(
      brief(issuesOf({ synapse: { extraConfig: { max_upload_size: '1G', report_stats: true, macaroon_secret_key: 'x' } } })),
    ).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.max_upload_size: synapse.extraConfig sets "max_upload_size", which messenger-stack renders itself in homeserver.yaml; use synapse.maxUploadSize instead. | remove "max_upload_size" from synapse.extraConfig and set synapse.maxUploadSize.",
        "owned_key at synapse.extraConfig.report_stats: synapse.extraConfig sets "report_stats", which messenger-stack renders itself in homeserver.yaml so that coupled files stay consistent. | remove "report_stats" from synapse.extraConfig.",
        "secret_in_spec at synapse.extraConfig.macaroon_secret_key: synapse.extraConfig.macaroon_secret_key holds a secret: everything in the spec is copied into rendered files, and rendered files never carry secrets. | remove it: messenger-stack already reads it from secrets/synapse_macaroon_secret_key.",
      ]
    `)
  })

  it('every key of the homeserver model is owned, in part or whole, unless marked overridable', () => {
    const keys = Object.keys(HomeserverConfigSchema.shape).filter((k) => k !== 'rc_login' && k !== 'rc_registration')
    const issues = issuesOf({ synapse: { extraConfig: Object.fromEntries(keys.map((k) => [k, null])) } })
    expect(issues.map((i) => i.path[2]).sort()).toEqual([...keys].sort())
    expect(issues.every((i) => i.code === 'owned_key')).toBe(true)
  })

  it('refuses LiveKit keys LiveKit does not know, with a suggestion, and owned ones', () => {
    expect(brief(issuesOf({ livekit: { extraConfig: { rtcc: {}, webhook: 'x', keys: {}, frobnicate: 1 } } }))).toMatchInlineSnapshot(`
      [
        "unknown_upstream_key at livekit.extraConfig.frobnicate: livekit.extraConfig sets "frobnicate", which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | remove "frobnicate"; see LiveKit's config reference for the known keys.",
        "owned_key at livekit.extraConfig.keys: livekit.extraConfig sets "keys", but it would write a secret into the rendered file; messenger-stack reads it from the secrets folder instead. | remove "keys" from livekit.extraConfig.",
        "unknown_upstream_key at livekit.extraConfig.rtcc: livekit.extraConfig sets "rtcc", which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | did you mean "rtc"?",
        "owned_key at livekit.extraConfig.webhook: livekit.extraConfig sets "webhook" to "x", but messenger-stack renders keys inside it in LiveKit config.yaml (api_key, urls); only the other keys inside it are yours. | write "webhook" as a mapping of the keys to add, without api_key, urls.",
      ]
    `)
  })

  it('refuses Element keys that are owned or not snake_case', () => {
    expect(
      brief(issuesOf({ elementWeb: { extraConfig: { brand: 'X', defaultTheme: 'dark', default_server_name: 'example.org' } } })),
    ).toMatchInlineSnapshot(`
        [
          "owned_key at elementWeb.extraConfig.brand: elementWeb.extraConfig sets "brand", which messenger-stack renders itself in Element Web config.json; use elementWeb.brand instead. | remove "brand" from elementWeb.extraConfig and set elementWeb.brand.",
          "unknown_upstream_key at elementWeb.extraConfig.defaultTheme: elementWeb.extraConfig key "defaultTheme" is not in snake_case, the only spelling messenger-stack writes into Element Web config.json. | write it as "default_theme".",
          "owned_key at elementWeb.extraConfig.default_server_name: elementWeb.extraConfig sets "default_server_name", but Element Web must use exactly one of default_server_config and default_server_name; messenger-stack renders default_server_config. | remove "default_server_name" from elementWeb.extraConfig.",
        ]
      `)
  })

  it('keeps hostile keys out: anything not snake_case is refused', () => {
    const issues = issuesOf({ synapse: { extraConfig: { 'a: b\nserver_name': 1, __proto__x: 1 } } })
    expect(issues.map((i) => i.code)).toEqual(['unknown_upstream_key', 'unknown_upstream_key'])
  })
})

describe('leaf-level ownership', () => {
  it("accepts the user's keys beside the leaves the SDK renders", () => {
    expect(
      issuesOf({
        synapse: {
          extraConfig: {
            experimental_features: { msc3391_enabled: true },
            caches: { per_cache_factors: { get_users_who_share_room_with_user: 2 } },
            database: { args: { sslmode: 'disable' } },
            presence: { include_offline_users_on_sync: true },
            listeners: [{ port: 9000, type: 'metrics', bind_addresses: ['0.0.0.0'] }],
            trusted_key_servers: [{ server_name: 'keys.example.net' }],
          },
        },
        livekit: {
          extraConfig: { room: { empty_timeout: 60 }, rtc: { stun_servers: ['stun.example.net:3478'] }, turn: { ttl_seconds: 600 } },
        },
        elementWeb: {
          extraConfig: {
            setting_defaults: { 'RoomList.showMessagePreview': true },
            features: { feature_pinning: true },
            default_server_config: { 'm.identity_server': { base_url: 'https://vector.im' } },
            room_directory: { servers: ['matrix.org'] },
          },
        },
      }),
    ).toEqual([])
  })

  it('refuses a leaf the SDK renders, naming the spec field that controls it', () => {
    expect(
      brief(
        issuesOf({
          synapse: { extraConfig: { experimental_features: { msc4143_enabled: false }, caches: { global_factor: 2 }, presence: true } },
          livekit: { extraConfig: { room: { auto_create: true }, rtc: { node_ip: '203.0.113.1' }, logging: { level: 'debug' } } },
          elementWeb: {
            extraConfig: {
              setting_defaults: { 'UIFeature.voip': true },
              default_server_config: { 'm.homeserver': { base_url: 'https://x.example' } },
            },
          },
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.caches.global_factor: synapse.extraConfig sets caches.global_factor, which messenger-stack renders itself in homeserver.yaml; use synapse.cacheFactor instead. | remove caches.global_factor from synapse.extraConfig and set synapse.cacheFactor.",
        "owned_key at synapse.extraConfig.experimental_features.msc4143_enabled: synapse.extraConfig sets experimental_features.msc4143_enabled, which messenger-stack renders itself in homeserver.yaml; use livekit.enabled instead. | remove experimental_features.msc4143_enabled from synapse.extraConfig and set livekit.enabled.",
        "owned_key at synapse.extraConfig.presence: synapse.extraConfig sets "presence" to true, but messenger-stack renders keys inside it in homeserver.yaml (enabled); only the other keys inside it are yours. | write "presence" as a mapping of the keys to add, without enabled.",
        "owned_key at livekit.extraConfig.logging.level: livekit.extraConfig sets logging.level, which messenger-stack renders itself in LiveKit config.yaml; use livekit.logLevel instead. | remove logging.level from livekit.extraConfig and set livekit.logLevel.",
        "owned_key at livekit.extraConfig.room.auto_create: livekit.extraConfig sets room.auto_create, but only lk-jwt-service may create LiveKit rooms, for users of the homeservers it serves; clients that create rooms themselves bypass that check. | remove room.auto_create from livekit.extraConfig.",
        "owned_key at livekit.extraConfig.rtc.node_ip: livekit.extraConfig sets rtc.node_ip, which messenger-stack renders itself in LiveKit config.yaml; use livekit.nodeIp instead. | remove rtc.node_ip from livekit.extraConfig and set livekit.nodeIp.",
        "owned_key at elementWeb.extraConfig.default_server_config.m.homeserver.base_url: elementWeb.extraConfig sets default_server_config["m.homeserver"].base_url, which messenger-stack renders itself in Element Web config.json; use matrixHost and serverName instead. | remove default_server_config["m.homeserver"].base_url from elementWeb.extraConfig and set matrixHost and serverName.",
        "owned_key at elementWeb.extraConfig.setting_defaults.UIFeature.voip: elementWeb.extraConfig sets setting_defaults["UIFeature.voip"], which messenger-stack renders itself in Element Web config.json; use livekit.enabled instead. | remove setting_defaults["UIFeature.voip"] from elementWeb.extraConfig and set livekit.enabled.",
      ]
    `)
  })

  it('lists: items are appended to Synapse listeners and trusted_key_servers; other rendered lists are refused', () => {
    expect(
      brief(
        issuesOf({
          synapse: { extraConfig: { listeners: { port: 9000 }, federation_domain_whitelist: ['a.example'] } },
          livekit: { extraConfig: { webhook: { urls: ['https://hooks.example/lk'] } } },
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.federation_domain_whitelist: synapse.extraConfig sets "federation_domain_whitelist", which messenger-stack renders itself in homeserver.yaml; use synapse.federation.allowList instead. | remove "federation_domain_whitelist" from synapse.extraConfig and set synapse.federation.allowList.",
        "owned_key at synapse.extraConfig.listeners: synapse.extraConfig sets "listeners" to {"port":9000}, but "listeners" is a list messenger-stack renders in homeserver.yaml; the items given here are added after the rendered ones. | write "listeners" as a list of the items to add.",
        "owned_key at livekit.extraConfig.webhook.urls: livekit.extraConfig sets webhook.urls, which messenger-stack renders itself in LiveKit config.yaml; use mode and gateway.colourSwitched instead. | remove webhook.urls from livekit.extraConfig and set mode and gateway.colourSwitched.",
      ]
    `)
  })

  it('an added listener needs a port of its own and a type Synapse knows', () => {
    expect(
      brief(
        issuesOf({
          synapse: {
            httpPort: 8008,
            extraConfig: {
              listeners: [
                { port: 8008, type: 'metrics' },
                { port: 9000, type: 'metrics' },
                { port: 9000, type: 'http', resources: [{ names: ['client'] }] },
                { port: 9001, type: 'telnet' },
              ],
            },
          },
        }),
      ),
    ).toMatchInlineSnapshot(`
      [
        "invalid_value at synapse.extraConfig.listeners.3.type: synapse.extraConfig.listeners[3].type must be one of "http", "manhole", "metrics" (got "telnet"). | choose one of "http", "manhole", "metrics".",
        "port_clash at synapse.extraConfig.listeners.0.port: synapse.extraConfig.listeners[0].port is 8008, which synapse.httpPort (the listener messenger-stack renders) already listens on; Synapse would fail to start. | give each listener its own port.",
        "port_clash at synapse.extraConfig.listeners.2.port: synapse.extraConfig.listeners[2].port is 9000, which synapse.extraConfig.listeners[1].port already listens on; Synapse would fail to start. | give each listener its own port.",
      ]
    `)
  })

  it("with workers, an added listener must not take the main process's replication port", () => {
    const issues = issuesOf({
      synapse: { workers: { preset: 'small' }, extraConfig: { listeners: [{ port: 9093, type: 'metrics' }] } },
    })
    expect(brief(issues.filter((issue) => issue.code === 'port_clash'))).toMatchInlineSnapshot(`
      [
        "port_clash at synapse.extraConfig.listeners.0.port: synapse.extraConfig.listeners[0].port is 9093, which the replication listener messenger-stack renders for synapse.workers already listens on; Synapse would fail to start. | give each listener its own port.",
      ]
    `)
    expect(issuesOf({ synapse: { extraConfig: { listeners: [{ port: 9093, type: 'metrics' }] } } })).toEqual([])
  })

  it('LiveKit keys inside a section the SDK renders in part must be keys LiveKit knows', () => {
    expect(brief(issuesOf({ livekit: { extraConfig: { room: { empty_timout: 60 }, rtc: { stun_server: [] } } } }))).toMatchInlineSnapshot(`
      [
        "unknown_upstream_key at livekit.extraConfig.room.empty_timout: livekit.extraConfig sets room.empty_timout, which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | did you mean "empty_timeout"?",
        "unknown_upstream_key at livekit.extraConfig.rtc.stun_server: livekit.extraConfig sets rtc.stun_server, which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | did you mean "stun_servers"?",
      ]
    `)
  })

  it('the client well-known extras stay whole: standalone nginx serves its own file', () => {
    expect(
      brief(issuesOf({ synapse: { extraConfig: { extra_well_known_client_content: { 'io.element.e2ee': { default: false } } } } })),
    ).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.extra_well_known_client_content: synapse.extraConfig sets "extra_well_known_client_content", but the client well-known is served by nginx from a file messenger-stack renders in standalone mode, so keys added here would not reach clients. | remove "extra_well_known_client_content" from synapse.extraConfig.",
      ]
    `)
  })

  it('secrets stay refused at any depth, inside a section the SDK renders in part too', () => {
    expect(
      brief(issuesOf({ livekit: { extraConfig: { rtc: { turn_servers: [{ host: 't.example', secret: 'x' }] } } } })),
    ).toMatchInlineSnapshot(`
      [
        "secret_in_spec at livekit.extraConfig.rtc.turn_servers.0.secret: livekit.extraConfig.rtc.turn_servers[0].secret holds a secret: everything in the spec is copied into rendered files, and rendered files never carry secrets. | put the value in a file of the secrets folder (mode 0600) and name that file with "secret_path"; see docs/security.md.",
      ]
    `)
  })

  it("extraConfigOwner tells the SDK's places from the user's", () => {
    expect(extraConfigOwner('synapse', ['caches', 'global_factor'])).toBe('sdk')
    expect(extraConfigOwner('synapse', ['caches', 'per_cache_factors'])).toBe('user')
    expect(extraConfigOwner('synapse', ['caches'])).toBe('shared')
    expect(extraConfigOwner('synapse', ['listeners'])).toBe('append')
    expect(extraConfigOwner('synapse', ['rc_login', 'address'])).toBe('override')
    expect(extraConfigOwner('synapse', ['experimental_features', 'msc4140_max_delayed_events_per_user'])).toBe('user')
    expect(extraConfigOwner('livekit', ['room', 'auto_create'])).toBe('sdk')
    expect(extraConfigOwner('elementWeb', ['setting_defaults', 'UIFeature.voip'])).toBe('sdk')
    expect(extraConfigOwner('elementWeb', ['enable_presence_by_hs_url', 'https://other.example/'])).toBe('sdk')
  })
})

describe('mergeExtraConfig', () => {
  const model = {
    server_name: 'a',
    listeners: [{ port: 8008 }],
    caches: { global_factor: 1 },
    experimental_features: undefined,
    rc_login: { address: { per_second: 0.1, burst_count: 5 }, account: { per_second: 0.1, burst_count: 5 } },
  }

  it('keeps model keys and order, merges maps leaf by leaf, appends list items, then the rest sorted and key-sorted', () => {
    const merged = mergeExtraConfig('synapse', model, {
      z_key: { b: 1, a: 2 },
      caches: { per_cache_factors: { b: 2, a: 1 } },
      listeners: [{ type: 'metrics', port: 9000 }],
      experimental_features: { msc3391_enabled: true },
      rc_login: { address: { per_second: 1 } },
      a_key: 3,
    })
    expect(merged).toStrictEqual({
      server_name: 'a',
      listeners: [{ port: 8008 }, { port: 9000, type: 'metrics' }],
      caches: { global_factor: 1, per_cache_factors: { a: 1, b: 2 } },
      experimental_features: { msc3391_enabled: true },
      rc_login: { address: { per_second: 1, burst_count: 5 }, account: { per_second: 0.1, burst_count: 5 } },
      a_key: 3,
      z_key: { a: 2, b: 1 },
    })
    expect(Object.keys(merged)).toEqual(['server_name', 'listeners', 'caches', 'experimental_features', 'rc_login', 'a_key', 'z_key'])
    expect(Object.keys((merged.caches as Record<string, unknown>).per_cache_factors as object)).toEqual(['a', 'b'])
  })

  it('keeps a user key named __proto__ a plain key at any depth', () => {
    const extra = JSON.parse('{"caches": {"__proto__": {"polluted": true}}, "x_key": {"__proto__": {"polluted": true}}}')
    const merged = mergeExtraConfig('synapse', model, extra)
    expect(Object.keys(merged.caches as object)).toEqual(['global_factor', '__proto__'])
    expect(Object.keys(merged.x_key as object)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(merged.x_key)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('throws SpecError on an owned leaf', () => {
    expect(() => mergeExtraConfig('elementWeb', { brand: 'a' }, { brand: 'b' })).toThrow(SpecError)
    expect(() => mergeExtraConfig('synapse', model, { caches: { global_factor: 3 } })).toThrow(SpecError)
  })
})
