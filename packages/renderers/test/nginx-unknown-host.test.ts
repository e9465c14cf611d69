// A request for a host name the deployment does not serve gets no Matrix content from the
// rendered standalone site: the real nginx (in its own network and mount namespaces) closes
// such requests (444) and refuses TLS handshakes for unknown names (ssl_reject_handshake,
// nginx 1.19.4+: the Debian 1.22 here and the 1.28 image both have it). Known names still work.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deriveValues, nginxSitePath, tlsCertificatePaths } from '@messenger-stack/config-schema'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderNginxSite } from '../src/nginx-site.js'
import { exampleSpec, requireTool } from './_bundle-support.js'
import { namespaceCommand, prepareNginxPrefix, requireRootForNamespaces, type NginxPrefix } from './support/nginx-harness.js'

const spec = exampleSpec('standalone')
const MATRIX = deriveValues(spec).matrixHost
const STUB = 'STUB-SYNAPSE-CONTENT'

/** Each probe: a name and the curl arguments (URL last). */
const PROBES: Record<string, string[]> = {
  'known host': [`--resolve`, `${MATRIX}:8443:127.0.0.1`, `https://${MATRIX}:8443/_matrix/client/versions`],
  'known host, well-known': [`--resolve`, `${spec.serverName}:8443:127.0.0.1`, `https://${spec.serverName}:8443/.well-known/matrix/client`],
  'unknown name (SNI and Host)': [`--resolve`, 'evil.example:8443:127.0.0.1', 'https://evil.example:8443/_matrix/client/versions'],
  'unknown name, well-known': [`--resolve`, 'evil.example:8443:127.0.0.1', 'https://evil.example:8443/.well-known/matrix/client'],
  'known SNI, forged Host': [
    `--resolve`,
    `${MATRIX}:8443:127.0.0.1`,
    '-H',
    'Host: evil.example',
    `https://${MATRIX}:8443/_matrix/client/versions`,
  ],
  'known SNI, forged Host, well-known': [
    `--resolve`,
    `${spec.serverName}:8443:127.0.0.1`,
    '-H',
    'Host: evil.example',
    `https://${spec.serverName}:8443/.well-known/matrix/client`,
  ],
  'no SNI (an IP address)': ['https://127.0.0.2:8443/_matrix/client/versions'],
  'port 80, unknown Host': ['-H', 'Host: evil.example', 'http://127.0.0.2:8080/.well-known/matrix/client'],
  'port 80, known Host': ['-H', `Host: ${MATRIX}`, 'http://127.0.0.2:8080/_matrix/client/versions'],
}

let prepared: NginxPrefix | undefined
const results = new Map<string, { exit: number; code: string; body: string }>()

beforeAll(() => {
  requireRootForNamespaces()
  requireTool('curl')
  requireTool('ip')
  const stub = printNginx([
    directive('server', [], [directive('listen', [`127.0.0.1:${spec.synapse.httpPort}`]), directive('return', [200, STUB])]),
  ])
  prepared = prepareNginxPrefix({
    prefixFiles: { [`conf.d/${nginxSitePath(spec.serviceName).split('/').at(-1)}`]: renderNginxSite(spec), 'conf.d/stub.conf': stub },
    files: { '/usr/share/nginx/well-known/matrix/client': '{"m.homeserver": {"base_url": "https://matrix.example.org"}}\n' },
    hosts: ['messenger-synapse', 'messenger-livekit', 'messenger-lk-jwt-service', 'messenger-element-web'],
    certificate: { ...tlsCertificatePaths(spec), names: [...deriveValues(spec).publicHosts] },
  })
  const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`
  const probes = Object.entries(PROBES).map(([name, args], index) => {
    const body = join(prepared!.prefix, `body-${index}`)
    return [
      `code="$(curl -sk --max-time 5 -o ${q(body)} -w '%{http_code}' ${args.map(q).join(' ')})" && exit_status=0 || exit_status=$?`,
      `printf '%s\\t%s\\t%s\\n' ${q(name)} "$exit_status" "$code"`,
    ].join('\n')
  })
  const driver = [
    'set -u',
    'ip link set lo up',
    `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(prepared.conf)} -e ${q(`${prepared.prefix}/error.log`)} || exit 3`,
    `for i in $(seq 1 100); do curl -sk -o /dev/null --resolve ${MATRIX}:8443:127.0.0.1 https://${MATRIX}:8443/ && break; sleep 0.1; done`,
    ...probes,
    `kill "$(cat ${q(join(prepared.prefix, 'nginx.pid'))})"`,
  ].join('\n')
  writeFileSync(join(prepared.prefix, 'driver.sh'), driver)
  const [program, args] = namespaceCommand(prepared, `bash ${q(join(prepared.prefix, 'driver.sh'))}`)
  const run = spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], { encoding: 'utf8', timeout: 120_000 })
  if (run.status !== 0) throw new Error(`the nginx run failed (${run.status}): ${run.stderr}\n${run.stdout}`)
  Object.keys(PROBES).forEach((name, index) => {
    const line = run.stdout.split('\n').find((l) => l.startsWith(`${name}\t`))
    const [, exit, code] = (line ?? `${name}\t-1\t`).split('\t')
    let body = ''
    try {
      body = spawnSync('cat', [join(prepared!.prefix, `body-${index}`)], { encoding: 'utf8' }).stdout
    } catch {}
    results.set(name, { exit: Number(exit), code: code ?? '', body })
  })
}, 180_000)

afterAll(() => prepared?.cleanup())

describe('the standalone site and host names it does not serve, in the real nginx', () => {
  it('known names still get their content', () => {
    expect(results.get('known host')).toMatchObject({ exit: 0, code: '200', body: STUB })
    expect(results.get('known host, well-known')).toMatchObject({ exit: 0, code: '200' })
    expect(results.get('known host, well-known')?.body).toContain('m.homeserver')
    expect(results.get('port 80, known Host')).toMatchObject({ exit: 0, code: '301' })
  })

  it('an unknown name gets no certificate and no content; a forged Host behind a known name gets an empty reply', () => {
    const refused = Object.keys(PROBES).filter((name) => !name.startsWith('known host') && name !== 'port 80, known Host')
    const answered = refused.filter((name) => {
      const result = results.get(name)!
      return result.code !== '000' || result.body.includes(STUB) || result.body.includes('m.homeserver')
    })
    expect(answered.map((name) => `${name}: ${JSON.stringify(results.get(name))}`)).toEqual([])
    // 35: TLS handshake refused; 52: connection closed without a reply (nginx's 444).
    expect(results.get('unknown name (SNI and Host)')?.exit).toBe(35)
    expect(results.get('no SNI (an IP address)')?.exit).toBe(35)
    expect(results.get('known SNI, forged Host')?.exit).toBe(52)
    expect(results.get('port 80, unknown Host')?.exit).toBe(52)
  })
})
