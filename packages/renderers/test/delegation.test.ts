// Delegation with the server name's website elsewhere (wellKnown.servedBy: elsewhere): the
// bundle never serves, certifies or asks DNS for the server name, and DEPLOY.md hands the
// other web server the exact documents this bundle would serve.
import { describe, expect, it } from 'vitest'
import { WELL_KNOWN_CORS, deriveValues, dnsRecordHosts, nginxSitePath, type DeploymentSpec } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import { renderDeployDoc } from '../src/deploy-doc.js'
import { renderWellKnownClient, renderWellKnownServer } from '../src/well-known.js'
import { exampleSpec } from './_bundle-support.js'

const file = (spec: DeploymentSpec, path: string): string => {
  const found = renderAll(spec).find((f) => f.path === path)
  if (found === undefined) throw new Error(`no ${path} in the bundle`)
  return found.content
}

/** The contents of the fenced blocks of a Markdown document that follow a line naming `url`. */
function documentAfter(doc: string, url: string): string {
  const start = doc.indexOf(`\`${url}\`:`)
  expect(start, `DEPLOY.md names ${url}`).toBeGreaterThan(0)
  const open = doc.indexOf('```json\n', start) + '```json\n'.length
  return `${doc.slice(open, doc.indexOf('```', open))}`
}

describe.each(['delegated', 'delegated-microservice'])('examples/%s (well-known files served elsewhere)', (name) => {
  const spec = exampleSpec(name)
  const doc = renderDeployDoc(spec)

  it('leaves the server name out of the hosts this deployment serves and the DNS records it asks for', () => {
    expect(spec.serverName).toBe('example.org')
    expect(deriveValues(spec).publicHosts).not.toContain('example.org')
    expect(dnsRecordHosts(spec)).not.toContain('example.org')
    expect(doc).not.toMatch(/^\| `example\.org` \| A/m)
  })

  it('prints both documents byte for byte as renderWellKnownClient/Server render them, with the CORS headers and curl checks', () => {
    const base = 'https://example.org/.well-known/matrix'
    expect(documentAfter(doc, `${base}/client`)).toBe(renderWellKnownClient(spec))
    expect(documentAfter(doc, `${base}/server`)).toBe(renderWellKnownServer(spec))
    expect(JSON.parse(renderWellKnownServer(spec))).toEqual({ 'm.server': 'matrix.example.org:443' })
    expect(doc).toContain(`Access-Control-Allow-Origin: ${WELL_KNOWN_CORS.allowOrigin}\n`)
    expect(doc).toContain('Content-Type: application/json\n')
    expect(doc).toContain(`curl -fsS -D - ${base}/client\n`)
    expect(doc).toContain(`curl -fsS -D - ${base}/server\n`)
  })

  it('never serves the server name', () => {
    const nginx = spec.mode === 'standalone' ? file(spec, nginxSitePath(spec.serviceName)) : file(spec, 'nginx/gateway-proxy.conf')
    expect(nginx).not.toMatch(/(^|[\s"])example\.org([;\s"]|$)/m)
    expect(nginx).toContain('matrix.example.org')
    expect(file(spec, 'synapse/config/homeserver.yaml')).not.toContain('serve_server_wellknown')
  })
})

describe('examples/delegated (standalone)', () => {
  const spec = exampleSpec('delegated')

  it("asks Let's Encrypt only for the hosts it serves (HTTP-01 for the server name would fail)", () => {
    expect(file(spec, 'scripts/deploy-standalone.sh')).toContain('DOMAINS=(matrix.example.org )\n')
  })

  it('still serves the files on matrixHost, the same bytes DEPLOY.md prints', () => {
    expect(file(spec, 'nginx/well-known/matrix/client')).toBe(renderWellKnownClient(spec))
    expect(file(spec, nginxSitePath(spec.serviceName))).toContain('location = /.well-known/matrix/client')
  })
})

describe('this deployment serving the well-known files (the default)', () => {
  const spec = exampleSpec('standalone')

  it('certifies, serves and asks DNS for the server name, and prints no documents', () => {
    expect(spec.wellKnown.servedBy).toBe('this-deployment')
    expect(dnsRecordHosts(spec)).toContain(spec.serverName)
    expect(file(spec, 'scripts/deploy-standalone.sh')).toContain(`DOMAINS=(${deriveValues(spec).publicHosts.join(' ')} )\n`)
    expect(deriveValues(spec).publicHosts).toContain(spec.serverName)
    expect(renderDeployDoc(spec)).not.toContain('## 2. Well-known files')
    expect(file(spec, nginxSitePath(spec.serviceName))).toMatch(/(^|[\s"])example\.org([;\s"]|$)/m)
  })
})
