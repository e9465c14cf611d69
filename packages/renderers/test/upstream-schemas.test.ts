// Our own output meets both schemas of each upstream file: the strict one describes exactly
// what we render (before extraConfig), and the lenient one, which other tools run on any real
// file, accepts it with extraConfig too, listing exactly the extraConfig keys as not modelled.
import {
  ElementConfigSchema,
  formatIssues,
  formatPath,
  HomeserverConfigSchema,
  LiveKitConfigSchema,
  validateElementConfig,
  validateHomeserver,
  validateLiveKitConfig,
  type UpstreamValidationResult,
} from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { elementConfigModel, homeserverModel, livekitModel, renderElementConfig, renderHomeserver, renderLiveKit } from '../src/index.js'
import { EXAMPLE_NAMES, exampleSpec, FRAGMENTS, readYaml, specWith } from './_renderer-fixtures.js'

const problems = (result: UpstreamValidationResult<unknown>) => (result.success ? '' : formatIssues(result.issues, { color: false }))
const notModelled = (result: UpstreamValidationResult<unknown>) => result.notModelled.map((key) => formatPath(key.path))

const SPECS = {
  ...Object.fromEntries(EXAMPLE_NAMES.map((name) => [name, exampleSpec(name)])),
  'udp-mux+turn-tls': specWith(FRAGMENTS.udpMux, FRAGMENTS.turnTls),
  'no-calls': specWith(FRAGMENTS.noCalls, FRAGMENTS.noFederation, FRAGMENTS.urlPreviews),
}

describe.each(Object.entries(SPECS))('%s', (_name, spec) => {
  it('passes the strict schemas (typed part) and the lenient validators (printed file), with nothing unmodelled', () => {
    expect(HomeserverConfigSchema.safeParse(readYaml(renderHomeserver(spec))).success).toBe(true)
    expect(LiveKitConfigSchema.safeParse(readYaml(renderLiveKit(spec))).success).toBe(true)
    expect(ElementConfigSchema.safeParse(JSON.parse(renderElementConfig(spec))).success).toBe(true)
    for (const result of [
      validateHomeserver(renderHomeserver(spec)),
      validateLiveKitConfig(renderLiveKit(spec)),
      validateElementConfig(renderElementConfig(spec)),
    ]) {
      expect(problems(result)).toBe('')
      expect(result.notModelled).toEqual([])
    }
  })
})

describe('with extraConfig', () => {
  const spec = specWith({
    synapse: {
      extraConfig: {
        admin_contact: 'mailto:admin@example.org',
        retention: { enabled: true },
        rc_login: { address: { per_second: 1, burst_count: 9 } },
      },
    },
    livekit: { extraConfig: { limit: { num_tracks: 10 }, development: false } },
    elementWeb: { extraConfig: { default_country_code: 'DE', jitsi: { preferred_domain: 'meet.example.org' } } },
  })

  it('the lenient schemas accept the output and list the extra keys as not modelled', () => {
    const homeserver = validateHomeserver(renderHomeserver(spec))
    expect(problems(homeserver)).toBe('')
    expect(notModelled(homeserver)).toEqual(['admin_contact', 'retention'])
    const livekit = validateLiveKitConfig(renderLiveKit(spec))
    expect(problems(livekit)).toBe('')
    expect(notModelled(livekit)).toEqual(['development', 'limit'])
    const element = validateElementConfig(renderElementConfig(spec))
    expect(problems(element)).toBe('')
    expect(notModelled(element)).toEqual(['default_country_code', 'jitsi'])
  })

  it('the strict schemas describe the typed models, and refuse the merged files', () => {
    expect(HomeserverConfigSchema.safeParse(homeserverModel(spec)).success).toBe(true)
    expect(LiveKitConfigSchema.safeParse(livekitModel(spec)).success).toBe(true)
    expect(ElementConfigSchema.safeParse(elementConfigModel(spec)).success).toBe(true)
    expect(HomeserverConfigSchema.safeParse(readYaml(renderHomeserver(spec))).success).toBe(false)
    expect(ElementConfigSchema.safeParse(JSON.parse(renderElementConfig(spec))).success).toBe(false)
  })
})

describe('with extraConfig merged leaf by leaf', () => {
  const spec = specWith({
    synapse: {
      extraConfig: {
        caches: { per_cache_factors: { get_users_who_share_room_with_user: 2 } },
        experimental_features: { msc3391_enabled: true },
        listeners: [{ port: 9000, type: 'metrics', bind_addresses: ['0.0.0.0'] }],
      },
    },
    livekit: { extraConfig: { room: { empty_timeout: 60 }, rtc: { use_ice_lite: true } } },
    elementWeb: { extraConfig: { setting_defaults: { 'RoomList.showMessagePreview': true }, room_directory: { servers: ['matrix.org'] } } },
  })

  it('the lenient schemas accept the output and list exactly the added leaves as not modelled', () => {
    const homeserver = validateHomeserver(renderHomeserver(spec))
    expect(problems(homeserver)).toBe('')
    expect(notModelled(homeserver)).toEqual(['caches.per_cache_factors', 'experimental_features.msc3391_enabled'])
    const livekit = validateLiveKitConfig(renderLiveKit(spec))
    expect(problems(livekit)).toBe('')
    expect(notModelled(livekit)).toEqual(['rtc.use_ice_lite', 'room.empty_timeout'])
    const element = validateElementConfig(renderElementConfig(spec))
    expect(problems(element)).toBe('')
    expect(notModelled(element)).toEqual([])
  })
})
