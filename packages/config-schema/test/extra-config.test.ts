import { describe, expect, it } from 'vitest'
import { HomeserverConfigSchema, mergeExtraConfig, safeParseDeploymentSpec, SpecError, type SpecIssue } from '../src/index.js'

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
      brief(issuesOf({ synapse: { extraConfig: { max_upload_size: '1G', trusted_key_servers: [], macaroon_secret_key: 'x' } } })),
    ).toMatchInlineSnapshot(`
      [
        "owned_key at synapse.extraConfig.max_upload_size: synapse.extraConfig sets "max_upload_size", which messenger-stack renders itself in homeserver.yaml; use synapse.maxUploadSize instead. | remove "max_upload_size" from synapse.extraConfig and set synapse.maxUploadSize.",
        "owned_key at synapse.extraConfig.trusted_key_servers: synapse.extraConfig sets "trusted_key_servers", which messenger-stack renders itself in homeserver.yaml so that coupled files stay consistent. | remove "trusted_key_servers" from synapse.extraConfig.",
        "secret_in_spec at synapse.extraConfig.macaroon_secret_key: synapse.extraConfig.macaroon_secret_key holds a secret: everything in the spec is copied into rendered files, and rendered files never carry secrets. | remove it: messenger-stack already reads it from secrets/synapse_macaroon_secret_key.",
      ]
    `)
  })

  it('every key of the homeserver model is owned unless marked overridable', () => {
    const keys = Object.keys(HomeserverConfigSchema.shape).filter((k) => k !== 'rc_login' && k !== 'rc_registration')
    const issues = issuesOf({ synapse: { extraConfig: Object.fromEntries(keys.map((k) => [k, null])) } })
    expect(issues.map((i) => i.path[2]).sort()).toEqual([...keys].sort())
    expect(issues.every((i) => i.code === 'owned_key')).toBe(true)
  })

  it('refuses LiveKit keys LiveKit does not know, with a suggestion, and owned ones', () => {
    expect(brief(issuesOf({ livekit: { extraConfig: { rtcc: {}, webhook: {}, keys: {}, frobnicate: 1 } } }))).toMatchInlineSnapshot(`
      [
        "unknown_upstream_key at livekit.extraConfig.frobnicate: livekit.extraConfig sets "frobnicate", which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | remove "frobnicate"; see LiveKit's config reference for the known keys.",
        "owned_key at livekit.extraConfig.keys: livekit.extraConfig sets "keys", but it would write a secret into the rendered file; messenger-stack reads it from the secrets folder instead. | remove "keys" from livekit.extraConfig.",
        "unknown_upstream_key at livekit.extraConfig.rtcc: livekit.extraConfig sets "rtcc", which LiveKit config.yaml does not know; LiveKit refuses to start on unknown keys. | did you mean "rtc"?",
        "owned_key at livekit.extraConfig.webhook: livekit.extraConfig sets "webhook", which messenger-stack renders itself in LiveKit config.yaml; use livekit.keyName instead. | remove "webhook" from livekit.extraConfig and set livekit.keyName.",
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

describe('mergeExtraConfig', () => {
  it('keeps model order, replaces overridable keys in place, appends the rest sorted and key-sorted', () => {
    const merged = mergeExtraConfig(
      'synapse',
      { server_name: 'a', rc_login: 1, gone: undefined },
      { z_key: { b: 1, a: 2 }, rc_login: 2, a_key: 3 },
    )
    expect(Object.keys(merged)).toEqual(['server_name', 'rc_login', 'a_key', 'z_key'])
    expect(merged.rc_login).toBe(2)
    expect(Object.keys(merged.z_key as object)).toEqual(['a', 'b'])
  })

  it('throws SpecError on an owned key', () => {
    expect(() => mergeExtraConfig('elementWeb', { brand: 'a' }, { brand: 'b' })).toThrow(SpecError)
  })
})
