// The lenient schemas are useful on other people's files: an upstream-style file (not written
// by messenger-stack) gives no errors, and every key we do not model is listed with its
// position instead. Real problems still come back with line and column, like spec errors.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as z from 'zod'
import {
  formatIssues,
  formatPath,
  LenientElementConfigSchema,
  LenientHomeserverConfigSchema,
  LenientLiveKitConfigSchema,
  LIVEKIT_TOP_LEVEL_KEYS,
  UPSTREAM_VERSIONS,
  validateElementConfig,
  validateHomeserver,
  validateLiveKitConfig,
  type NotModelledKey,
  type UpstreamValidationResult,
} from '../src/index.js'

const fixture = (name: string) => readFileSync(new URL(`fixtures/upstream/${name}`, import.meta.url), 'utf8')
const listed = (keys: readonly NotModelledKey[]) => keys.map((key) => `${formatPath(key.path)} ${key.line}:${key.column}`)
const problems = (result: UpstreamValidationResult<unknown>) => (result.success ? '' : formatIssues(result.issues, { color: false }))

describe('validateHomeserver', () => {
  it('accepts a full upstream-style homeserver.yaml and lists what it does not model', () => {
    const result = validateHomeserver(fixture('homeserver.yaml'))
    expect(problems(result)).toBe('')
    expect(result.upstream).toBe(UPSTREAM_VERSIONS.synapse)
    expect(result.success && result.config.server_name).toBe('chat.example.test')
    // Inline secrets are upstream's business: reported as not modelled, not as errors.
    expect(listed(result.notModelled)).toMatchInlineSnapshot(`
      [
        "pid_file 5:1",
        "web_client_location 6:1",
        "listeners[0].tls 12:5",
        "database.txn_limit 30:3",
        "database.args.password 33:5",
        "redis.password 47:3",
        "max_image_pixels 52:1",
        "dynamic_thumbnails 53:1",
        "url_preview_accept_language 65:1",
        "registration_shared_secret 71:1",
        "macaroon_secret_key 72:1",
        "form_secret 73:1",
        "old_signing_keys 75:1",
        "key_refresh_interval 76:1",
        "require_auth_for_profile_requests 83:1",
        "limit_profile_requests_to_users_who_share_rooms 84:1",
        "allow_public_rooms_without_auth 85:1",
        "allow_public_rooms_over_federation 86:1",
        "caches.per_cache_factors 93:3",
        "caches.expire_caches 95:3",
        "caches.cache_entry_ttl 96:3",
        "caches.sync_response_cache_duration 97:3",
        "rc_joins 116:1",
        "retention 121:1",
        "email 127:1",
        "turn_uris 135:1",
        "turn_shared_secret 138:1",
        "turn_user_lifetime 139:1",
        "user_directory 154:1",
        "room_list_publication_rules 157:1",
      ]
    `)
  })

  it('the fixture is a valid file for Synapse itself (its published config schema)', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url))
    const validator = resolve(root, '../shared/oracles/synapse/validate.mjs')
    const result = spawnSync(process.execPath, [validator, fileURLToPath(new URL('fixtures/upstream/homeserver.yaml', import.meta.url))], {
      env: { ...process.env, ORACLE_NODE_MODULES: resolve(root, 'packages/config-schema') },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(result.stdout + result.stderr).toContain('valid')
    expect(result.status).toBe(0)
  })

  it('reports real problems with file, line and column', () => {
    const text = [
      'server_name: chat.example.test',
      'report_stats: maybe',
      'max_upload_size: lots',
      'listeners:',
      '  - port: 8008',
      '    type: https',
      'presence:',
      '  enabled: sometimes',
      '',
    ].join('\n')
    const result = validateHomeserver(text, 'hs.yaml')
    expect(result.success).toBe(false)
    expect(problems(result)).toMatchInlineSnapshot(`
      "✖ report_stats must be true or false, not text (got "maybe").
        → at report_stats (hs.yaml:2:15)
        hint: write report_stats as true or false.
      ✖ max_upload_size must be a byte size such as "50M" or a whole number (got "lots").
        → at max_upload_size (hs.yaml:3:18)
        hint: fix max_upload_size.
      ✖ listeners[0].type must be one of "http", "manhole", "metrics" (got "https").
        → at listeners[0].type (hs.yaml:6:11)
        hint: choose one of "http", "manhole", "metrics".
      ✖ presence.enabled does not match any allowed form (got "sometimes").
        → at presence.enabled (hs.yaml:8:12)
        hint: see the reference for the allowed forms."
    `)
  })

  it('requires what Synapse requires, and reports YAML syntax and duplicate keys with positions', () => {
    const missing = validateHomeserver('public_baseurl: https://matrix.example.test/\n')
    expect(missing.success ? [] : missing.issues.map((i) => `${i.code} ${formatPath(i.path)} ${i.line}:${i.column}`)).toEqual([
      'missing_field server_name 1:1',
      'missing_field report_stats 1:1',
    ])
    const duplicate = validateHomeserver('server_name: a.test\nreport_stats: false\nserver_name: b.test\n')
    expect(duplicate.success ? [] : duplicate.issues.map((i) => `${i.code} ${i.line}:${i.column}`)).toEqual(['duplicate_key 3:1'])
    const broken = validateHomeserver('server_name: "a.test\n')
    expect(broken.success ? [] : broken.issues.map((i) => `${i.code} ${i.file}:${i.line}`)).toEqual(['syntax_error homeserver.yaml:2'])
    const both = validateHomeserver('server_name: a.test\nreport_stats: false\ndatabase: {name: sqlite3}\ndatabases: {}\n')
    expect(both.success ? [] : both.issues.map((i) => `${formatPath(i.path)} ${i.line}:${i.column} ${i.message}`)).toEqual([
      'databases 4:1 databases must not be set together with database (got {}).',
    ])
    const empty = validateHomeserver('# nothing yet\n')
    expect(empty.success ? [] : empty.issues.map((i) => i.code)).toEqual(['missing_field'])
  })
})

describe('validateElementConfig', () => {
  it('accepts an upstream-style config.json and lists what it does not model', () => {
    const result = validateElementConfig(fixture('element-config.json'))
    expect(problems(result)).toBe('')
    expect(result.upstream).toBe(UPSTREAM_VERSIONS.elementWeb)
    expect(listed(result.notModelled)).toMatchInlineSnapshot(`
      [
        "default_server_config["m.identity_server"] 7:5",
        "disable_login_language_selector 13:3",
        "disable_3pid_login 14:3",
        "integrations_ui_url 16:3",
        "integrations_rest_url 17:3",
        "integrations_widgets_urls 18:3",
        "bug_report_endpoint_url 19:3",
        "uisi_autorageshake_app 20:3",
        "default_country_code 21:3",
        "jitsi 39:3",
        "element_call.brand 44:5",
        "map_style_url 46:3",
        "privacy_policy_url 47:3",
      ]
    `)
  })

  it('reports wrong types and JSON syntax with positions', () => {
    const result = validateElementConfig('{\n  "brand": "x",\n  "disable_guests": "yes",\n  "features": {"feature_x": 1}\n}\n')
    expect(result.success ? [] : result.issues.map((i) => `${formatPath(i.path)} ${i.line}:${i.column}`)).toEqual([
      'disable_guests 3:21',
      'features.feature_x 4:29',
    ])
    const trailing = validateElementConfig('{"brand": "x",}')
    expect(trailing.success ? '' : trailing.issues[0]?.message).toContain('config.json is not valid JSON')
  })
})

describe('validateLiveKitConfig', () => {
  it('accepts an upstream-style config; known keys it does not model are listed', () => {
    const result = validateLiveKitConfig(fixture('livekit.yaml'))
    expect(problems(result)).toBe('')
    expect(listed(result.notModelled)).toEqual([
      'rtc.enable_loopback_candidate 10:3',
      'redis 11:1',
      'keys 20:1',
      'room.empty_timeout 24:3',
      'room.max_participants 25:3',
      'logging.json 28:3',
    ])
  })

  it('refuses a top-level key LiveKit does not know (LiveKit would not start), and broken TURN ports', () => {
    const result = validateLiveKitConfig('port: 7880\nlogging_level: debug\nturn:\n  enabled: true\n')
    expect(problems(result)).toMatchInlineSnapshot(`
      "✖ logging_level is not a key of LiveKit server v1.13.5, which refuses to start on unknown keys.
        → at logging_level (livekit.yaml:2:1)
        hint: did you mean "log_level"?
      ✖ turn.enabled must come with udp_port or tls_port above 0 (LiveKit: "invalid TURN ports") (got true).
        → at turn.enabled (livekit.yaml:4:12)
        hint: fix turn.enabled."
    `)
    expect(result.notModelled).toEqual([])
  })
})

/** Every field of an object schema, recursively, with its path (through optional, arrays, unions). */
function fields(schema: z.ZodType, path = ''): [string, z.ZodType][] {
  const out: [string, z.ZodType][] = []
  const inner = (s: z.ZodType): z.ZodType[] => {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) return inner(s.unwrap() as z.ZodType)
    if (s instanceof z.ZodArray) return inner(s.element as z.ZodType)
    if (s instanceof z.ZodUnion) return (s.options as z.ZodType[]).flatMap(inner)
    return [s]
  }
  for (const s of inner(schema)) {
    if (!(s instanceof z.ZodObject)) continue
    for (const [key, field] of Object.entries(s.shape as Record<string, z.ZodType>)) {
      out.push([`${path}${key}`, field], ...fields(field, `${path}${key}.`))
    }
  }
  return out
}

describe('the lenient schemas', () => {
  it.each([
    ['homeserver', LenientHomeserverConfigSchema],
    ['livekit', LenientLiveKitConfigSchema],
    ['element', LenientElementConfigSchema],
  ] as const)('%s: every modelled key carries a description', (_name, schema) => {
    const undocumented = fields(schema)
      .filter(([, field]) => field.meta()?.description === undefined)
      .map(([path]) => path)
    expect(undocumented).toEqual([])
  })

  it('model only keys that exist upstream (Synapse published schema, LiveKit key list)', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url))
    const synapse = JSON.parse(readFileSync(resolve(root, '../shared/oracles/synapse/synapse-config.schema.json'), 'utf8'))
    // experimental_features is deliberately absent from Synapse's published schema.
    const unknown = Object.keys(LenientHomeserverConfigSchema.shape).filter(
      (key) => key !== 'experimental_features' && synapse.properties[key] === undefined,
    )
    expect(unknown).toEqual([])
    for (const key of Object.keys(LenientLiveKitConfigSchema.shape)) expect(LIVEKIT_TOP_LEVEL_KEYS).toContain(key)
  })
})
