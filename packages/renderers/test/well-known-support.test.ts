// /.well-known/matrix/support (MSC1929) from the spec's contacts, answered by the real nginx:
// the standalone site and the gateway include (inside a minimal gateway server) both serve the
// document inline, as JSON, readable from any origin.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  deriveValues,
  nginxSitePath,
  parseDeploymentSpec,
  tlsCertificatePaths,
  wellKnownSupport,
  WellKnownSupportSchema,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { describe, expect, it } from 'vitest'
import { renderDeployDoc } from '../src/deploy-doc.js'
import { renderGatewayProxy } from '../src/gateway-proxy.js'
import { renderNginxSite } from '../src/nginx-site.js'
import { requireTool } from './_bundle-support.js'
import { namespaceCommand, prepareNginxPrefix, requireRootForNamespaces, type NginxHarnessOptions } from './support/nginx-harness.js'

const SUPPORT = {
  contacts: [
    { role: 'admin', matrixId: '@admin:example.org', email: 'admin@example.org' },
    { role: 'security', email: 'security+matrix@example.org' },
  ],
  page: 'https://example.org/help?topic=chat&lang=en',
}

const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`
const UPSTREAMS = ['synapse', 'livekit', 'lk-jwt-service', 'element-web', 'router'].flatMap((s) => [
  `messenger-${s}`,
  `messenger-${s}-blue`,
])

/** Starts nginx on the prefix in its own network namespace, runs curl with each argument list, returns `code type acao|body` per call. */
function withNginx(options: NginxHarnessOptions, calls: readonly string[][]): string[] {
  requireRootForNamespaces()
  requireTool('curl')
  const prepared = prepareNginxPrefix(options)
  try {
    const driver = [
      'set -u',
      'ip link set lo up',
      `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(prepared.conf)} -e ${q(`${prepared.prefix}/error.log`)} || exit 3`,
      'sleep 0.3',
      ...calls.map(
        (args) =>
          `curl -sk --max-time 5 -w '\\n%{http_code} %{content_type}' -D ${q(`${prepared.prefix}/headers`)} ${args.map(q).join(' ')}; echo; grep -i '^access-control-allow-origin' ${q(`${prepared.prefix}/headers`)} | tr -d '\\r'; echo '----'`,
      ),
      `kill "$(cat ${q(join(prepared.prefix, 'nginx.pid'))})"`,
    ].join('\n')
    writeFileSync(join(prepared.prefix, 'driver.sh'), driver)
    const [program, args] = namespaceCommand(prepared, `bash ${q(join(prepared.prefix, 'driver.sh'))}`)
    const run = spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], { encoding: 'utf8', timeout: 60_000 })
    if (run.status !== 0) throw new Error(`the nginx run failed (${run.status}): ${run.stderr}\n${run.stdout}`)
    return run.stdout.split('----\n').slice(0, calls.length)
  } finally {
    prepared.cleanup()
  }
}

function expectDocument(output: string | undefined, spec: DeploymentSpec): void {
  const [body, status, acao] = (output ?? '').split('\n')
  expect(status).toBe('200 application/json')
  expect(acao).toMatch(/^access-control-allow-origin: \*$/i)
  const document = JSON.parse(body!)
  expect(document).toEqual(JSON.parse(JSON.stringify(wellKnownSupport(spec))))
  expect(WellKnownSupportSchema.safeParse(document).success).toBe(true)
}

describe('the support document in the real nginx', () => {
  it('standalone: served on the server name and the Matrix host, with a CORS preflight', () => {
    const spec = parseDeploymentSpec({
      serverName: 'example.org',
      matrixHost: 'matrix.example.org',
      tls: { letsEncrypt: { email: 'admin@example.org' } },
      support: SUPPORT,
    })
    const url = (host: string) => [`--resolve`, `${host}:8443:127.0.0.1`, `https://${host}:8443/.well-known/matrix/support`]
    const [server, matrix, preflight] = withNginx(
      {
        prefixFiles: { [`conf.d/${nginxSitePath(spec.serviceName).split('/').at(-1)}`]: renderNginxSite(spec) },
        hosts: UPSTREAMS,
        certificate: { ...tlsCertificatePaths(spec), names: [...deriveValues(spec).publicHosts] },
      },
      [url('example.org'), url('matrix.example.org'), ['-X', 'OPTIONS', ...url('example.org')]],
    )
    expectDocument(server, spec)
    expectDocument(matrix, spec)
    expect(preflight?.split('\n')[1]).toMatch(/^204 /)
  })

  it('microservice: the gateway include serves it too (Synapse does not)', () => {
    const spec = parseDeploymentSpec({ serverName: 'example.org', mode: 'microservice', support: SUPPORT })
    const include = renderGatewayProxy(spec).replaceAll(spec.gateway.activeColorPlaceholder, 'blue')
    const wrapper = printNginx([
      directive(
        'server',
        [],
        [
          directive('listen', ['127.0.0.1:18080']),
          directive('server_name', ['example.org']),
          directive('include', ['gateway/gateway-proxy.conf']),
          directive('location', ['/'], [directive('return', [200])]),
        ],
      ),
    ])
    const [answer] = withNginx(
      { prefixFiles: { 'conf.d/gateway-wrapper.conf': wrapper, 'gateway/gateway-proxy.conf': include }, hosts: UPSTREAMS },
      [['-H', 'Host: example.org', 'http://127.0.0.1:18080/.well-known/matrix/support']],
    )
    expectDocument(answer, spec)
  })
})

describe('the support document when the server name is served elsewhere', () => {
  it('DEPLOY.md prints it beside the client and server documents, with a curl to check it', () => {
    const spec = parseDeploymentSpec({
      serverName: 'example.org',
      matrixHost: 'matrix.example.org',
      wellKnown: { servedBy: 'elsewhere' },
      tls: { letsEncrypt: { email: 'admin@example.org' } },
      support: SUPPORT,
    })
    const doc = renderDeployDoc(spec)
    const section = doc.slice(doc.indexOf('Well-known files on example.org'))
    expect(section).toContain('`https://example.org/.well-known/matrix/support` (the `support` section of the spec')
    const json = section.slice(section.indexOf('/support` (the'))
    const start = json.indexOf('```json\n') + 8
    const printed = json.slice(start, json.indexOf('\n```', start))
    expect(JSON.parse(printed)).toEqual(JSON.parse(JSON.stringify(wellKnownSupport(spec))))
    expect(section).toContain('curl -fsS -D - https://example.org/.well-known/matrix/support\n')
    expect(section).toContain('all through these documents')
    // Without support, the section keeps its two documents.
    const { support: _, ...withoutSupport } = spec
    expect(renderDeployDoc(withoutSupport as DeploymentSpec)).toContain('all through these two documents')
  })
})
