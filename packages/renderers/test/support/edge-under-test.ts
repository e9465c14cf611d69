// The nginx that routes Synapse's requests, run for real: the standalone site (HTTPS, the
// matrix host) or the microservice router (plain HTTP behind the gateway), in a private network
// namespace with one stub per Synapse process on its HTTP port, each answering with its name
// (`X-Upstream`). route-driver.mjs sends the probes from inside the namespace.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  deriveValues,
  synapseWorkers,
  tlsCertificatePaths,
  workerPorts,
  type DeploymentSpec,
  type Route,
} from '@messenger-stack/config-schema'
import { directive, type NginxNode, printNginx } from '@messenger-stack/config-schema/nginx'
import { nginxSiteModel } from '../../src/nginx-site.js'
import { routerModel } from '../../src/router.js'
import { requireTool } from '../_bundle-support.js'
import { namespaceCommand, prepareNginxPrefix, requireRootForNamespaces } from './nginx-harness.js'

/** Which nginx routes the requests: standalone's site, or microservice's router. */
export type Edge = 'site' | 'router'

/** One request to send. */
export interface Probe {
  readonly method: string
  readonly path: string
  readonly headers?: Record<string, string>
  /** Client address (on 127.0.0.0/8); one of its own per request when absent. */
  readonly source?: string
  /** Why it is sent: `table`, `main-only`, `random`, or a stickiness group. */
  readonly purpose: string
}

/** What came back: the status, and the name of the stub that answered (null if none did). */
export interface Answer {
  readonly status: number
  readonly upstream: string | null
  readonly error?: string
}

/** The block tree of the edge's config for a spec: what the renderers print. */
export function edgeModel(spec: DeploymentSpec, edge: Edge): NginxNode[] {
  return edge === 'site' ? nginxSiteModel(spec) : routerModel(spec)
}

/** Whether a `location` directive is the one printed for a route. */
function isLocationOf(node: NginxNode, route: Route): boolean {
  if (!('name' in node) || node.name !== 'location') return false
  const arg = node.args[1]
  if (route.match.kind === 'regex') return typeof arg === 'object' && arg.kind === 'regex' && arg.pattern === route.match.pattern
  if (route.match.kind === 'prefix' || route.match.kind === 'exact') return arg === route.match.path
  return false
}

/** The block tree without the `location` of `route` (a mutant: the route removed from the table). */
export function withoutRoute(nodes: readonly NginxNode[], route: Route): NginxNode[] {
  return nodes
    .filter((node) => !isLocationOf(node, route))
    .map((node) => ('children' in node && node.children !== undefined ? { ...node, children: withoutRoute(node.children, route) } : node))
}

/** One stub per Synapse process on its HTTP port, answering with the process's name. */
function stubs(spec: DeploymentSpec): string {
  const processes = [
    { name: 'main', port: spec.synapse.httpPort },
    ...synapseWorkers(spec).map((w) => ({ name: w.name, port: workerPorts(w).http })),
  ]
  return printNginx(
    processes.map(({ name, port }) =>
      directive(
        'server',
        [],
        [directive('listen', [`127.0.0.1:${port}`]), directive('add_header', ['X-Upstream', name, 'always']), directive('return', [200])],
      ),
    ),
  )
}

/**
 * Runs the edge config `nodes` of `spec` in the real nginx, sends `probes` and returns the
 * answers in probe order. Needs root (namespaces); bounded to 4 minutes.
 */
export function runProbes(spec: DeploymentSpec, edge: Edge, nodes: readonly NginxNode[], probes: readonly Probe[]): Answer[] {
  requireRootForNamespaces()
  const conf = printNginx(nodes)
  // Every upstream name must resolve when nginx starts: the stubs all listen on 127.0.0.1.
  const upstreamHosts = [...conf.matchAll(/^ +server ([a-z0-9-]+):\d+;$/gm), ...conf.matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map(
    (m) => m[1]!,
  )
  const site = edge === 'site'
  const prepared = prepareNginxPrefix({
    prefixFiles: { [`conf.d/${spec.serviceName}.conf`]: conf, 'conf.d/stubs.conf': stubs(spec) },
    hosts: [...new Set(upstreamHosts)],
    ...(site
      ? {
          certificate: { ...tlsCertificatePaths(spec), names: [...deriveValues(spec).publicHosts] },
          // The well-known files the site serves itself are not under test here.
          files: {
            [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/client`]: '{}',
            [`${CONTAINER_PATHS.nginxWellKnownDir}/matrix/server`]: '{}',
          },
        }
      : {}),
  })
  try {
    const requests = join(prepared.prefix, 'requests.json')
    writeFileSync(requests, JSON.stringify(probes))
    const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`
    const [port, scheme] = site ? [CONTAINER_PORTS.nginxHttps, 'https'] : [CONTAINER_PORTS.router, 'http']
    const driver = [
      'set -eu',
      'ip link set lo up',
      `${q(prepared.nginx)} -p ${q(`${prepared.prefix}/`)} -c ${q(prepared.conf)} -e ${q(`${prepared.prefix}/error.log`)}`,
      `${q(process.execPath)} ${q(join(import.meta.dirname, 'route-driver.mjs'))} ${q(requests)} ${q(deriveValues(spec).matrixHost)} ${port} ${scheme}`,
      `kill "$(cat ${q(join(prepared.prefix, 'nginx.pid'))})"`,
    ].join('\n')
    const [program, args] = namespaceCommand(prepared, `sh -c ${q(driver)}`)
    const result = spawnSync(requireTool('unshare'), ['-n', '--', program, ...args], {
      encoding: 'utf8',
      timeout: 240_000,
      maxBuffer: 64 << 20,
    })
    if (result.status !== 0) throw new Error(`the nginx run failed (${result.status}): ${result.stderr}`)
    const answers = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Answer)
    if (answers.length !== probes.length) throw new Error(`${answers.length} answers for ${probes.length} requests`)
    return answers
  } finally {
    prepared.cleanup()
  }
}
