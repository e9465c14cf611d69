// The main nginx config a spec renders when TURN/TLS shares port 443 by name: its model,
// nginx -t on every example that has one, and the real nginx (in its own network and mount
// namespaces, with a fresh /tmp for its sockets) routing TLS by name: the TURN domain reaches
// a stand-in for LiveKit's TURN listener as a plain stream after nginx's TLS with the
// deployment's certificate, every other name reaches the HTTPS site, which still sees the
// client's own address (PROXY protocol), and unknown names are still refused.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  containerName,
  deriveValues,
  nginxSitePath,
  parseDeploymentSpec,
  streamRoutes,
  tlsCertificatePaths,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { directive, expression, NginxConfigSchema, printNginx, variable } from '@messenger-stack/config-schema/nginx'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nginxMainModel, renderNginxMain } from '../src/nginx-main.js'
import { renderNginxSite } from '../src/nginx-site.js'
import { renderAll } from '../src/render-all.js'
import { EXAMPLES, exampleInput, exampleSpec, requireTool } from './_bundle-support.js'
import {
  namespaceCommand,
  prepareNginxPrefix,
  requireRootForNamespaces,
  streamModuleLine,
  type NginxPrefix,
} from './support/nginx-harness.js'

const spec = exampleSpec('turn-tls')
const derived = deriveValues(spec)
const TURN = derived.turnDomain
const MATRIX = derived.matrixHost
const TURN_STUB = 'TURN-STUB-REACHED'
const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`

/** Every example with a main config, and the paths its nginx sees (absolute, as in the container). */
function nginxFiles(example: DeploymentSpec, extraSite = ''): Record<string, string> {
  const site = nginxSitePath(example.serviceName)
  return {
    [CONTAINER_PATHS.nginxMainConf]: renderNginxMain(example),
    [`${CONTAINER_PATHS.nginxConfDir}/${site.split('/').at(-1)}`]: renderNginxSite(example),
    ...(extraSite === '' ? {} : { [`${CONTAINER_PATHS.nginxConfDir}/zz-stub.conf`]: extraSite }),
    [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/client`]: '{"m.homeserver": {"base_url": "https://matrix.example.org"}}\n',
  }
}

/** A harness prefix outside /tmp, so the namespace can mount a fresh /tmp for nginx's sockets and temp files. */
function prepareOutsideTmp(example: DeploymentSpec, extraSite = ''): NginxPrefix {
  const before = process.env.TMPDIR
  process.env.TMPDIR = '/var/tmp'
  try {
    const upstreams = ['synapse', 'livekit', 'lk-jwt-service', 'element-web'] as const
    return prepareNginxPrefix({
      // The rendered main config is loaded from its container path; Debian's nginx loads the
      // stream module first (the image has it built in).
      prefixFiles: { 'main.conf': `${streamModuleLine()}\ninclude ${CONTAINER_PATHS.nginxMainConf};\n` },
      files: nginxFiles(example, extraSite),
      hosts: upstreams.map((service) => containerName(example, service)),
      certificate: { ...tlsCertificatePaths(example), names: [...deriveValues(example).certificateHosts] },
    })
  } finally {
    if (before === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = before
  }
}

/** Runs a bash driver in private network and mount namespaces with the prepared files and a fresh /tmp. */
function runDriver(prepared: NginxPrefix, lines: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const driver = ['set -u', 'ip link set lo up', 'mount -t tmpfs tmpfs /tmp', ...lines].join('\n')
  writeFileSync(join(prepared.prefix, 'driver.sh'), driver)
  const [program, args] = namespaceCommand(prepared, `bash ${q(join(prepared.prefix, 'driver.sh'))}`)
  return spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], { encoding: 'utf8', timeout: 120_000 })
}

describe('the main nginx config (TURN/TLS on 443)', () => {
  it('is rendered exactly when 443 is shared by name, and mounted over the image main config', () => {
    for (const name of EXAMPLES) {
      const example = exampleSpec(name)
      const paths = renderAll(example).map((file) => file.path)
      expect(paths.includes(BUNDLE_PATHS.nginxMainConf), name).toBe(streamRoutes(example).length > 0)
    }
    expect(streamRoutes(spec).map((route) => [route.hosts, route.target])).toEqual([[[TURN], { service: 'livekit', port: 5349 }]])
    expect(() => nginxMainModel(exampleSpec('standalone'))).toThrow(/only when port 443 is shared by name/)
    expect(NginxConfigSchema.safeParse(nginxMainModel(spec)).success).toBe(true)
  })

  it("puts the TURN domain in the certificate (certbot's -d list, the ACME server on 80), never in an HTTPS server", () => {
    const files = new Map(renderAll(spec).map((file) => [file.path, file.content]))
    expect(files.get('scripts/deploy-standalone.sh')).toContain(`DOMAINS=(${derived.certificateHosts.join(' ')} )\n`)
    expect(derived.certificateHosts).toContain(TURN)
    const site = files.get(nginxSitePath(spec.serviceName))!
    const names = [...site.matchAll(/server_name ([^;]+);/g)].map((match) => match[1]!.split(' '))
    expect(names[0]).toContain(TURN)
    for (const https of names.slice(1)) expect(https).not.toContain(TURN)
  })

  it('matches the golden file', async () => {
    await expect(renderNginxMain(spec)).toMatchFileSnapshot(`golden/turn-tls/${BUNDLE_PATHS.nginxMainConf}`)
  })

  it('never routes a name of the HTTPS site to TURN', () => {
    const main = renderNginxMain(spec)
    for (const host of derived.publicHosts) expect(main).not.toMatch(new RegExp(`^\\s+${host.replaceAll('.', '\\.')} `, 'm'))
    expect(main).toMatch(new RegExp(`^\\s+${TURN.replaceAll('.', '\\.')} unix:`, 'm'))
  })

  it("a spec without TURN/TLS keeps the image's main config and listens on 8443 itself", () => {
    const input = exampleInput('turn-tls') as { livekit: { turn: Record<string, unknown> } }
    const plain = parseDeploymentSpec({ ...input, livekit: { ...input.livekit, turn: { ...input.livekit.turn, tlsPort: 0 } } })
    expect(renderAll(plain).map((file) => file.path)).not.toContain(BUNDLE_PATHS.nginxMainConf)
    expect(renderNginxSite(plain)).toContain('listen 8443 ssl;')
    expect(renderNginxSite(plain)).not.toContain('proxy_protocol')
  })
})

describe.each(EXAMPLES.filter((name) => streamRoutes(exampleSpec(name)).length > 0))('examples/%s with the real nginx -t', (name) => {
  it('nginx accepts the main config with the site as rendered', () => {
    requireRootForNamespaces()
    const prepared = prepareOutsideTmp(exampleSpec(name))
    try {
      const log = q(join(prepared.prefix, 'nginx-t.log'))
      // /dev/stderr of a socket cannot be opened (node's pipes are sockets): a file stands in for the container's output.
      const result = runDriver(prepared, [
        `${q(prepared.nginx)} -t -p /etc/nginx/ -c ${q(join(prepared.prefix, 'main.conf'))} -e /dev/stderr > ${log} 2>&1; status=$?`,
        `cat ${log} >&2`,
        'exit $status',
      ])
      expect(`${result.stdout}${result.stderr}`).toContain('test is successful')
      expect(result.status).toBe(0)
    } finally {
      prepared.cleanup()
    }
  })
})

describe('the real nginx routes TLS on 443 by name', () => {
  let prepared: NginxPrefix | undefined
  const results = new Map<string, string>()

  beforeAll(() => {
    requireRootForNamespaces()
    for (const tool of ['curl', 'ip', 'openssl']) requireTool(tool)
    // Synapse's stand-in answers with the client address nginx passed on.
    const synapseStub = printNginx([
      directive(
        'server',
        [],
        [
          directive('listen', [`127.0.0.1:${spec.synapse.httpPort}`]),
          directive('return', [200, expression(variable('http_x_forwarded_for'))]),
        ],
      ),
    ])
    prepared = prepareOutsideTmp(spec, synapseStub)
    const turnPort = streamRoutes(spec)[0]!.target.port
    // LiveKit's TURN listener's stand-in: plain TCP (external TLS), answering one line.
    writeFileSync(
      join(prepared.prefix, 'turn-stub.conf'),
      [
        streamModuleLine(),
        'pid turn-stub.pid;',
        'error_log turn-stub-error.log;',
        'events { worker_connections 16; }',
        `stream { server { listen 127.0.0.1:${turnPort}; return ${TURN_STUB}; } }`,
        '',
      ].join('\n'),
    )
    const cert = tlsCertificatePaths(spec).certificate
    const probe = (label: string, command: string) => `printf '%s\\t%s\\n' ${q(label)} "$( (${command}) 2>/dev/null | tr '\\n' ' ')"`
    const result = runDriver(prepared, [
      `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(join(prepared.prefix, 'turn-stub.conf'))} || exit 3`,
      // The container's output (/dev/stdout, /dev/stderr in the rendered config) is a file here.
      `${q(prepared.nginx)} -p /etc/nginx/ -c ${q(join(prepared.prefix, 'main.conf'))} -e /dev/stderr >> ${q(join(prepared.prefix, 'nginx.out'))} 2>&1 || { cat ${q(join(prepared.prefix, 'nginx.out'))} >&2; exit 4; }`,
      `for i in $(seq 1 100); do curl -sk -o /dev/null --resolve ${MATRIX}:8443:127.0.0.1 https://${MATRIX}:8443/ && break; sleep 0.1; done`,
      probe(
        'turn',
        `openssl s_client -connect 127.0.0.1:8443 -servername ${TURN} -CAfile ${q(cert)} -verify_hostname ${TURN} -verify_return_error -quiet < /dev/null`,
      ),
      probe('turn without the name', `openssl s_client -connect 127.0.0.1:8443 -quiet < /dev/null; echo "exit $?"`),
      probe(
        'https client address',
        `curl -s --max-time 5 --interface 127.0.0.5 --cacert ${q(cert)} --resolve ${MATRIX}:8443:127.0.0.1 https://${MATRIX}:8443/_matrix/client/versions`,
      ),
      probe(
        'https unknown name',
        `curl -sk --max-time 5 --resolve evil.example:8443:127.0.0.1 https://evil.example:8443/_matrix/client/versions; echo "exit $?"`,
      ),
      probe(
        'https well-known',
        `curl -s --max-time 5 --cacert ${q(cert)} --resolve ${spec.serverName}:8443:127.0.0.1 https://${spec.serverName}:8443/.well-known/matrix/client`,
      ),
      'kill "$(cat /tmp/nginx.pid)"',
      `kill "$(cat ${q(join(prepared.prefix, 'turn-stub.pid'))})"`,
    ])
    if (result.status !== 0) throw new Error(`the nginx run failed (${result.status}): ${result.stderr}\n${result.stdout}`)
    for (const line of result.stdout.split('\n')) {
      const [label, value] = line.split('\t')
      if (label !== undefined && value !== undefined) results.set(label, value.trim())
    }
  }, 180_000)

  afterAll(() => prepared?.cleanup())

  it('the TURN domain gets a TLS session with the certificate, then the plain TURN listener', () => {
    expect(results.get('turn')).toBe(TURN_STUB)
  })

  it('the HTTPS names still get the site, which sees the client address from the PROXY protocol header', () => {
    expect(results.get('https client address')).toBe('127.0.0.5')
    expect(results.get('https well-known')).toContain('m.homeserver')
  })

  it('unknown names and no name get no certificate, as before', () => {
    expect(results.get('https unknown name')).toBe('exit 35')
    expect(results.get('turn without the name')).not.toContain(TURN_STUB)
    expect(results.get('turn without the name')).toMatch(/exit [1-9]/)
  })
})
