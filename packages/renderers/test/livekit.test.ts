import { LIVEKIT_TOP_LEVEL_KEYS, LiveKitConfigSchema, SpecError, servicePorts } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import { livekitModel, renderDeployDoc, renderLiveKit } from '../src/index.js'
import { EXAMPLE_NAMES, FRAGMENTS, exampleSpec, readYaml, specWith } from './_renderer-fixtures.js'

type Yaml = Record<string, any>
const rendered = (text: string) => readYaml(text) as Yaml

describe('renderLiveKit', () => {
  it.each(EXAMPLE_NAMES)('matches the golden file for %s', async (name) => {
    await expect(renderLiveKit(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/livekit.yaml`)
  })

  it.each(EXAMPLE_NAMES)('%s: the rendered YAML parses strictly with the LiveKit model, keys LiveKit knows', (name) => {
    const spec = exampleSpec(name)
    const parsed = rendered(renderLiveKit(spec))
    expect(LiveKitConfigSchema.parse(parsed)).toEqual(JSON.parse(JSON.stringify(livekitModel(spec))))
    for (const key of Object.keys(parsed)) expect(LIVEKIT_TOP_LEVEL_KEYS).toContain(key)
  })

  it('the strict model refuses a key LiveKit does not know, as LiveKit does', () => {
    const parsed = rendered(renderLiveKit(exampleSpec('standalone')))
    expect(LiveKitConfigSchema.safeParse({ ...parsed, rtc: { ...parsed.rtc, tcp_prot: 1 } }).success).toBe(false)
  })

  it('writes ports, keys, room creation and the webhook', () => {
    const lk = rendered(renderLiveKit(exampleSpec('standalone')))
    expect(lk.port).toBe(7880)
    expect(lk.bind_addresses).toEqual(['0.0.0.0'])
    expect(lk.rtc).toEqual({ tcp_port: 7881, udp_port: 7882, use_external_ip: false, node_ip: '203.0.113.10' })
    expect(lk.key_file).toBe('/secrets/livekit_keys.yaml')
    expect(lk).not.toHaveProperty('keys')
    expect(lk.room).toEqual({ auto_create: false })
    expect(lk.webhook).toEqual({ api_key: 'messenger', urls: ['http://messenger-lk-jwt-service:8080/sfu_webhook'] })
    expect(lk.turn).toEqual({
      enabled: true,
      domain: 'matrix.example.org',
      udp_port: 3478,
      relay_range_start: 30000,
      relay_range_end: 30049,
    })
  })

  it("relays TURN on the spec's relay range, the ports compose publishes and DEPLOY.md lists", () => {
    const spec = specWith({ livekit: { turn: { relayRange: { start: 40000, end: 40009 } } } })
    expect(rendered(renderLiveKit(spec)).turn).toMatchObject({ relay_range_start: 40000, relay_range_end: 40009 })
    const relay = servicePorts(spec).find((port) => port.name === 'turn-relay')
    expect(relay).toMatchObject({ service: 'livekit', protocol: 'udp', container: { start: 40000, end: 40009 } })
    expect(relay?.published).toEqual({ start: 40000, end: 40009 })
    expect(renderDeployDoc(spec)).toContain('| UDP | 40000-40009 | TURN relay ports')
    expect(servicePorts(specWith(FRAGMENTS.turnOff)).some((port) => port.name === 'turn-relay')).toBe(false)
  })

  it('sends webhooks through the gateway when lk-jwt-service runs once per colour', () => {
    expect(rendered(renderLiveKit(exampleSpec('microservice'))).webhook.urls).toEqual([
      'https://messenger.statex.cz/livekit/jwt/sfu_webhook',
    ])
  })

  it('uses one UDP mux port instead of the range when asked', () => {
    const lk = rendered(renderLiveKit(specWith(FRAGMENTS.udpMux)))
    expect(lk.rtc).toEqual({ tcp_port: 7881, udp_port: 7882, use_external_ip: true })
  })

  it('uses the port range of the original service when asked', () => {
    const lk = rendered(renderLiveKit(exampleSpec('microservice')))
    expect(lk.rtc).toMatchObject({ port_range_start: 50000, port_range_end: 60000 })
    expect(lk.rtc).not.toHaveProperty('udp_port')
  })

  it('adds TURN/TLS behind nginx (external TLS, no certificate) only when tlsPort is set; turns TURN off', () => {
    const spec = specWith(FRAGMENTS.turnTls, FRAGMENTS.delegated)
    expect(rendered(renderLiveKit(spec)).turn).toEqual({
      enabled: true,
      domain: 'turn.example.org',
      udp_port: 3478,
      tls_port: 5349,
      external_tls: true,
      relay_range_start: 30000,
      relay_range_end: 30049,
    })
    expect(rendered(renderLiveKit(specWith(FRAGMENTS.turnOff))).turn).toEqual({ enabled: false })
  })

  it('lets TURN relay to a private node IP only when asked, and only to that address', () => {
    const privateNode = { livekit: { nodeIp: '10.99.0.1' } }
    expect(rendered(renderLiveKit(specWith(privateNode))).turn).not.toHaveProperty('allow_restricted_peer_cidrs')
    const allowed = specWith({ livekit: { nodeIp: '10.99.0.1', turn: { relayToPrivateNodeIp: true } } })
    expect(rendered(renderLiveKit(allowed)).turn.allow_restricted_peer_cidrs).toEqual(['10.99.0.1/32'])
  })

  it('merges livekit.extraConfig last and refuses what LiveKit or the SDK would object to', () => {
    const lk = rendered(renderLiveKit(specWith({ livekit: { extraConfig: { region: 'eu', limit: { num_tracks: 10 } } } })))
    expect(Object.keys(lk).slice(-2)).toEqual(['limit', 'region'])
    expect(lk.limit).toEqual({ num_tracks: 10 })
    const base = specWith({})
    expect(() => renderLiveKit({ ...base, livekit: { ...base.livekit, extraConfig: { rtcc: {} } } })).toThrow(SpecError)
  })
})
