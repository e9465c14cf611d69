import { describe, expect, it } from 'vitest'
import { deriveValues, parseDeploymentSpec, portUses } from '@messenger-stack/config-schema'
import { renderDeployDoc } from '../src/deploy-doc.js'
import { COMPOSE_EXAMPLES, exampleSpec } from './_bundle-support.js'

describe.each(COMPOSE_EXAMPLES)('DEPLOY.md for %s', (name) => {
  const spec = exampleSpec(name)
  const doc = renderDeployDoc(spec)

  it('matches the golden file', async () => {
    await expect(doc).toMatchFileSnapshot(`golden/${name}/DEPLOY.md`)
  })

  it('numbers every section heading, in order (each section starts with its heading)', () => {
    const headings = [...doc.matchAll(/^## (.*)$/gm)].map((m) => m[1]!)
    expect(headings.length).toBeGreaterThan(4)
    expect(headings.map((heading) => heading.replace(/\. .*$/, ''))).toEqual(headings.map((_heading, index) => String(index + 1)))
  })

  it('lists an A record for every public host', () => {
    for (const host of deriveValues(spec).publicHosts) expect(doc).toContain(`| \`${host}\` | A |`)
  })

  it('lists every host port the spec binds, and only those', () => {
    const rows = [...doc.matchAll(/^\| (TCP|UDP) \| ([0-9-]+) \|/gm)].map((m) => `${m[1]} ${m[2]}`)
    const expected = portUses(spec)
      .filter((use) => use.scope === 'host')
      .map((use) => `${use.protocol.toUpperCase()} ${use.start === use.end ? use.start : `${use.start}-${use.end}`}`)
    expect(rows).toEqual(expected)
    expect(doc).toContain('Synapse publishes no port, not even on 127.0.0.1')
    expect(doc).toContain('register-user admin --admin --socket data/synapse/admin.sock')
  })

  it('gives the commands in order', () => {
    const order = [
      'messenger-stack secrets',
      'messenger-stack render',
      spec.mode === 'standalone' ? './scripts/deploy-standalone.sh' : './scripts/deploy.sh',
      './scripts/create-first-user.sh',
      './scripts/backup.sh',
    ]
    const section = doc.slice(doc.search(/^## \d+\. Commands/m))
    const positions = order.map((command) => section.indexOf(command))
    expect(positions.every((p) => p > 0)).toBe(true)
    expect([...positions].sort((a, b) => a - b)).toEqual(positions)
  })
})

it('explains blue/green only in microservice mode', () => {
  expect(renderDeployDoc(exampleSpec('microservice'))).toContain('Why never two Synapse main processes')
  expect(renderDeployDoc(exampleSpec('microservice'))).toContain('Compose stops the old Synapse and then starts the new one')
  expect(renderDeployDoc(exampleSpec('standalone'))).not.toContain('Blue/green')
})

it('explains delegation when the server name is not the Matrix host', () => {
  expect(renderDeployDoc(exampleSpec('standalone'))).toContain('/.well-known/matrix/server')
  const same = parseDeploymentSpec({ serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } })
  expect(renderDeployDoc(same)).not.toContain('/.well-known/matrix/server')
})

it('lists the UDP mux port and TURN/TLS when set', () => {
  const spec = parseDeploymentSpec({
    serverName: 'example.org',
    tls: { letsEncrypt: { email: 'a@example.org' } },
    livekit: { udpPort: 7882, turn: { udpPort: 3478, tlsPort: 5349, domain: 'turn.example.org' } },
  })
  const doc = renderDeployDoc(spec)
  expect(doc).toContain('| UDP | 7882 | LiveKit media over UDP (one multiplexed port) |')
  // TURN/TLS shares 443 (LiveKit advertises it there); its own port stays inside the compose network.
  expect(doc).toContain('LiveKit signalling (nginx of this bundle); TURN/TLS for `turn.example.org` on the same port |')
  expect(doc).not.toContain('| TCP | 5349 |')
  expect(doc).toContain('TURN/TLS for `turn.example.org` shares TCP 443 with HTTPS')
  expect(doc).not.toContain('tls.certificateFiles')
  const own = parseDeploymentSpec({ ...spec, tls: { certificateFiles: { certificate: '/srv/c.pem', key: '/srv/k.pem' } } })
  expect(renderDeployDoc(own)).toContain('Your certificate files (`tls.certificateFiles`) must name `turn.example.org` too.')
})

describe('the commands run in the bundle folder and name the spec as the options say', () => {
  it('by default (after `init deploy`) the spec is deployment.yaml in the bundle folder', () => {
    const doc = renderDeployDoc(exampleSpec('standalone'))
    expect(doc).toContain('Run them in the bundle folder, the one holding this file; the spec is `deployment.yaml` from there.')
    expect(doc).toContain('sudo messenger-stack secrets secrets --spec deployment.yaml\n')
    expect(doc).toContain('sudo messenger-stack render deployment.yaml --out . --secrets secrets\n')
    expect(doc).not.toContain('cd deploy')
  })

  it('a spec beside the bundle folder', () => {
    const doc = renderDeployDoc(exampleSpec('standalone'), { specPath: '../prod.yaml' })
    expect(doc).toContain('sudo messenger-stack render ../prod.yaml --out . --secrets secrets\n')
  })

  it('quotes the path for the shell, and refuses one that would break the document', () => {
    const doc = renderDeployDoc(exampleSpec('standalone'), { specPath: "../my specs/it's.yaml" })
    expect(doc).toContain(`sudo messenger-stack render '../my specs/it'"'"'s.yaml' --out . --secrets secrets\n`)
    expect(() => renderDeployDoc(exampleSpec('standalone'), { specPath: 'a\n## injected' })).toThrow(RangeError)
    expect(() => renderDeployDoc(exampleSpec('standalone'), { specPath: 'a`b' })).toThrow(RangeError)
  })
})
