import { describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { DeploymentSpecSchema, portUses, safeParseDeploymentSpec, type DeploymentSpec, type DeploymentSpecDocument } from '../src/index.js'
import {
  CHECK_SECTIONS,
  checkBlueGreen,
  checkNodeIp,
  checkPortClashes,
  checkTlsForMode,
  checkTurn,
  checkTurnPrivateNodeIp,
  checkUdpRange,
  checkWellKnownDelegation,
  SPEC_CHECKS,
} from '../src/checks/index.js'
import { EXAMPLES, micro, repoFile, spec } from './_helpers.js'

const summary = (issues: readonly { path: readonly (string | number)[]; code: string }[]) =>
  issues.map((i) => `${i.code} ${i.path.join('.')}`)
const example = (name: string) => DeploymentSpecSchema.parse(parseYaml(repoFile(`examples/${name}/deployment.yaml`), { version: '1.1' }))

describe('cross-field checks on valid specs', () => {
  it.each(EXAMPLES)('find nothing in examples/%s', (name) => {
    for (const check of SPEC_CHECKS) expect(check(example(name))).toEqual([])
  })
})

describe('checkTlsForMode', () => {
  it('needs exactly one TLS source in standalone mode', () => {
    expect(summary(checkTlsForMode(spec({ tls: undefined })))).toEqual(['tls_choice tls'])
    expect(summary(checkTlsForMode(spec({ tls: {} })))).toEqual(['tls_choice tls'])
    const both = { letsEncrypt: { email: 'a@example.org' }, certificateFiles: { certificate: '/c.pem', key: '/k.pem' } }
    expect(checkTlsForMode(spec({ tls: both }))[0]?.message).toContain('both')
    expect(checkTlsForMode(spec())).toEqual([])
  })

  it('refuses tls in microservice mode', () => {
    expect(summary(checkTlsForMode(micro({ tls: { letsEncrypt: { email: 'a@example.org' } } })))).toEqual(['mode_mismatch tls'])
    expect(checkTlsForMode(micro())).toEqual([])
  })
})

describe('checkBlueGreen', () => {
  it('refuses Synapse and the stateful services in colourSwitched, with the reason', () => {
    const issues = checkBlueGreen(micro({ gateway: { colourSwitched: ['element-web', 'synapse', 'postgres', 'redis', 'livekit'] } }))
    expect(summary(issues)).toEqual([
      'two_synapse_mains gateway.colourSwitched.1',
      'stateful_colour gateway.colourSwitched.2',
      'stateful_colour gateway.colourSwitched.3',
      'stateful_colour gateway.colourSwitched.4',
    ])
    expect(issues[0]?.message).toContain('two main processes on one database')
  })

  it('allows the stateless services, and ignores standalone mode', () => {
    expect(checkBlueGreen(micro({ gateway: { colourSwitched: ['element-web', 'lk-jwt-service'] } }))).toEqual([])
    expect(checkBlueGreen(spec({ gateway: { colourSwitched: ['synapse'] } }))).toEqual([])
  })
})

describe('checkPortClashes', () => {
  it('finds a port bound twice in one place, blaming the spec field over the proxy', () => {
    expect(summary(checkPortClashes(spec({ livekit: { tcpPort: 443 } })))).toEqual(['port_clash livekit.tcpPort'])
    expect(summary(checkPortClashes(spec({ livekit: { udpPort: 3478 } })))).toEqual(['port_clash livekit.turn.udpPort'])
    expect(summary(checkPortClashes(spec({ livekit: { udpRange: { start: 3000, end: 4000 } } })))).toEqual([
      'port_clash livekit.turn.udpPort',
    ])
  })

  it('ignores the same number in different containers or protocols', () => {
    expect(checkPortClashes(spec({ synapse: { httpPort: 7880 } }))).toEqual([])
    expect(checkPortClashes(spec({ livekit: { tcpPort: 3478 } }))).toEqual([])
    expect(checkPortClashes(spec({ livekit: { enabled: false, tcpPort: 443 } }))).toEqual([])
  })

  it('accepts a Synapse port equal to a published one: Synapse publishes nothing on the host', () => {
    expect(checkPortClashes(spec({ synapse: { httpPort: 7881 } }))).toEqual([])
  })

  it('finds the TURN relay range overlapping a media port on the host, and ignores it while TURN is off', () => {
    expect(checkPortClashes(spec({ livekit: { udpPort: 30010 } })).map((issue) => issue.message)).toEqual([
      'UDP port 30010 is used by both livekit.turn.relayRange and livekit.udpPort on the host.',
    ])
    expect(checkPortClashes(spec({ livekit: { udpPort: 30010, turn: { enabled: false } } }))).toEqual([])
  })

  it('lists every port with its field', () => {
    expect(
      portUses(spec())
        .filter((u) => u.scope === 'host')
        .map((u) => `${u.protocol}/${u.start}-${u.end} ${u.field.join('.')}`),
    ).toEqual([
      'tcp/80-80 (nginx http)',
      'tcp/443-443 (nginx https)',
      'tcp/7881-7881 livekit.tcpPort',
      'udp/7882-7882 livekit.udpPort',
      'udp/3478-3478 livekit.turn.udpPort',
      'udp/30000-30049 livekit.turn.relayRange',
    ])
  })
})

describe('checkUdpRange', () => {
  it('refuses a mux port together with a range, a reversed range, a huge range and well-known ports', () => {
    expect(summary(checkUdpRange(spec({ livekit: { udpPort: 7882, udpRange: { start: 50000, end: 50100 } } })))).toEqual([
      'udp_range livekit.udpRange',
    ])
    expect(summary(checkUdpRange(spec({ livekit: { udpRange: { start: 60000, end: 50000 } } })))).toEqual([
      'udp_range livekit.udpRange.start',
    ])
    expect(summary(checkUdpRange(spec({ livekit: { udpRange: { start: 5000, end: 5000 } } })))).toEqual([
      'udp_range livekit.udpRange.start',
    ])
    expect(summary(checkUdpRange(spec({ livekit: { udpRange: { start: 10000, end: 40000 } } })))).toEqual(['udp_range livekit.udpRange'])
    expect(summary(checkUdpRange(spec({ livekit: { udpRange: { start: 500, end: 1500 } } })))).toEqual(['udp_range livekit.udpRange.start'])
  })

  it('refuses a reversed, huge or well-known TURN relay range, and ignores it while TURN is off', () => {
    const relay = (start: number, end: number, enabled = true) => spec({ livekit: { turn: { enabled, relayRange: { start, end } } } })
    expect(summary(checkUdpRange(relay(30049, 30000)))).toEqual(['udp_range livekit.turn.relayRange.start'])
    expect(summary(checkUdpRange(relay(10000, 40000)))).toEqual(['udp_range livekit.turn.relayRange'])
    expect(summary(checkUdpRange(relay(500, 600)))).toEqual(['udp_range livekit.turn.relayRange.start'])
    expect(checkUdpRange(relay(500, 600, false))).toEqual([])
    expect(checkUdpRange(relay(40000, 40009))).toEqual([])
  })

  it('accepts a sane range, and nothing when calls are off', () => {
    expect(checkUdpRange(spec({ livekit: { udpRange: { start: 50000, end: 60000 } } }))).toEqual([])
    expect(checkUdpRange(spec({ livekit: { enabled: false, udpRange: { start: 60000, end: 50000 } } }))).toEqual([])
  })
})

describe('checkTurn', () => {
  it('refuses TURN without ports, and TURN/TLS in microservice mode', () => {
    expect(summary(checkTurn(spec({ livekit: { turn: { udpPort: 0, tlsPort: 0 } } })))).toEqual(['turn_without_ports livekit.turn'])
    expect(summary(checkTurn(micro({ livekit: { turn: { tlsPort: 5349 } } })))).toEqual(['mode_mismatch livekit.turn.tlsPort'])
  })

  it('accepts TURN turned off, and TURN/TLS in standalone mode on a TURN domain of its own', () => {
    expect(checkTurn(spec({ livekit: { turn: { enabled: false, udpPort: 0 } } }))).toEqual([])
    expect(checkTurn(spec({ livekit: { turn: { tlsPort: 5349, domain: 'turn.example.org' } } }))).toEqual([])
  })

  it('refuses TURN/TLS on a name the HTTPS site serves: nginx tells TURN from HTTPS by the name alone', () => {
    const turnTls = (domain: string | undefined, extra: Partial<DeploymentSpecDocument> = {}) =>
      summary(checkTurn(spec({ matrixHost: 'matrix.example.org', ...extra, livekit: { turn: { tlsPort: 5349, domain } } })))
    expect(turnTls(undefined)).toEqual(['turn_tls_domain livekit.turn.tlsPort'])
    for (const domain of ['matrix.example.org', 'example.org']) expect(turnTls(domain)).toEqual(['turn_tls_domain livekit.turn.domain'])
    expect(turnTls('chat.example.org', { elementWeb: { host: 'chat.example.org' } })).toEqual(['turn_tls_domain livekit.turn.domain'])
    expect(turnTls('chat.example.org', { elementWeb: { enabled: false, host: 'chat.example.org' } })).toEqual([])
    expect(turnTls('turn.example.org')).toEqual([])
  })
})

describe('checkNodeIp', () => {
  it('refuses a fixed node IP with STUN discovery', () => {
    expect(summary(checkNodeIp(spec({ livekit: { nodeIp: '203.0.113.10', useExternalIp: true } })))).toEqual([
      'node_ip_conflict livekit.useExternalIp',
    ])
    expect(checkNodeIp(spec({ livekit: { nodeIp: '203.0.113.10', useExternalIp: false } }))).toEqual([])
    expect(checkNodeIp(spec({ livekit: { useExternalIp: true } }))).toEqual([])
  })
})

describe('checkTurnPrivateNodeIp', () => {
  it('needs the node IP it allows TURN to relay to', () => {
    expect(summary(checkTurnPrivateNodeIp(spec({ livekit: { turn: { relayToPrivateNodeIp: true } } })))).toEqual([
      'node_ip_required livekit.turn.relayToPrivateNodeIp',
    ])
    expect(checkTurnPrivateNodeIp(spec({ livekit: { nodeIp: '10.99.0.1', turn: { relayToPrivateNodeIp: true } } }))).toEqual([])
    expect(checkTurnPrivateNodeIp(spec({ livekit: { turn: { enabled: false, relayToPrivateNodeIp: true } } }))).toEqual([])
  })
})

describe('checkWellKnownDelegation', () => {
  const delegated = { matrixHost: 'matrix.example.org' } as const
  const elsewhere = { ...delegated, wellKnown: { servedBy: 'elsewhere' } } as const

  it('refuses a separate matrixHost in microservice mode unless the well-known files are served elsewhere, calls or not', () => {
    expect(summary(checkWellKnownDelegation(micro(delegated)))).toEqual(['well_known_unserved matrixHost'])
    expect(summary(checkWellKnownDelegation(micro({ ...delegated, livekit: { enabled: false } })))).toEqual([
      'well_known_unserved matrixHost',
    ])
    expect(checkWellKnownDelegation(micro(elsewhere))).toEqual([])
    expect(checkWellKnownDelegation(micro({}))).toEqual([])
  })

  it('serves the well-known files in standalone mode either way', () => {
    expect(checkWellKnownDelegation(spec(delegated))).toEqual([])
    expect(checkWellKnownDelegation(spec(elsewhere))).toEqual([])
  })

  it('refuses elsewhere when this deployment serves the server name for anything', () => {
    expect(summary(checkWellKnownDelegation(spec({ wellKnown: { servedBy: 'elsewhere' } })))).toEqual([
      'well_known_conflict wellKnown.servedBy',
    ])
    expect(summary(checkWellKnownDelegation(micro({ wellKnown: { servedBy: 'elsewhere' } })))).toEqual([
      'well_known_conflict wellKnown.servedBy',
    ])
    expect(summary(checkWellKnownDelegation(spec({ ...elsewhere, elementWeb: { host: 'example.org' } })))).toEqual([
      'well_known_conflict elementWeb.host',
    ])
    expect(summary(checkWellKnownDelegation(spec({ ...elsewhere, livekit: { host: 'example.org' } })))).toEqual([
      'well_known_conflict livekit.host',
    ])
    expect(summary(checkWellKnownDelegation(spec({ ...elsewhere, livekit: { turn: { domain: 'example.org' } } })))).toEqual([
      'well_known_conflict livekit.turn.domain',
    ])
    expect(checkWellKnownDelegation(spec({ ...elsewhere, elementWeb: { enabled: false, host: 'example.org' } }))).toEqual([])
  })
})

describe('CHECK_SECTIONS', () => {
  // A spec whose undeclared sections throw when read: a check that reads more than it
  // declares would run on an invalid section when the spec has field errors.
  const guarded = (full: DeploymentSpec, allowed: readonly string[]) =>
    new Proxy(full, {
      get(target, key, receiver) {
        if (typeof key === 'string' && key in target && !allowed.includes(key)) throw new Error(`reads undeclared section ${key}`)
        return Reflect.get(target, key, receiver) as unknown
      },
      has: (target, key) => Reflect.has(target, key),
    })

  const samples = [
    ...EXAMPLES.map(example),
    spec({ livekit: { tcpPort: 443, udpPort: 3478, udpRange: { start: 60000, end: 50000 }, nodeIp: '203.0.113.10', useExternalIp: true } }),
    micro({ matrixHost: 'matrix.example.org', tls: { letsEncrypt: { email: 'a@example.org' } }, gateway: { colourSwitched: ['synapse'] } }),
    micro({ livekit: { turn: { tlsPort: 5349 } }, synapse: { extraConfig: { server_name: 'x' } } }),
  ]

  it('declares the sections of every check, and each check reads only those', () => {
    for (const check of SPEC_CHECKS) {
      const sections = CHECK_SECTIONS.get(check)
      expect(sections, `${check.name} has no CHECK_SECTIONS entry`).toBeDefined()
      for (const sample of samples) expect(check(guarded(sample, sections!))).toEqual(check(sample))
    }
  })

  it('lets checks on valid sections run when other sections are invalid', () => {
    const result = safeParseDeploymentSpec({
      serverName: 'Not A Host',
      synapse: { httpPort: 'x' },
      mode: 'microservice',
      gateway: { colourSwitched: ['synapse'] },
      livekit: { nodeIp: '203.0.113.10', useExternalIp: true },
    })
    expect(summary(result.issues)).toEqual([
      'invalid_format serverName',
      'invalid_type synapse.httpPort',
      'two_synapse_mains gateway.colourSwitched.0',
      'node_ip_conflict livekit.useExternalIp',
    ])
  })

  it('skips checks whose sections are invalid instead of guessing', () => {
    const result = safeParseDeploymentSpec({ serverName: 'example.org', mode: 'cluster', livekit: { tcpPort: 443 } })
    expect(summary(result.issues)).toEqual(['invalid_value mode'])
  })
})
