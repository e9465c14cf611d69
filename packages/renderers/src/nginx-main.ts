import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  CONTAINER_PORTS,
  containerName,
  NGINX_PID_FILE,
  streamRoutes,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import {
  comment,
  directive,
  entry,
  expression,
  type NginxDirective,
  type NginxNode,
  printNginx,
  variable,
} from '@messenger-stack/config-schema/nginx'
import { httpsSocket, streamRouteSocket, tlsDirectives } from './_nginx-edge.js'

/** Where nginx-unprivileged keeps its pid and temp files: `/tmp`, writable for a non-root user. */
const RUNTIME_DIR = '/tmp'

/** The `http` context of the image's main config, unchanged: its temp paths, types, logs, and the sites in conf.d. */
function httpContext(): NginxDirective {
  const temp = (['proxy', 'client_body', 'fastcgi', 'uwsgi', 'scgi'] as const).map((kind) =>
    directive(`${kind}_temp_path`, [`${RUNTIME_DIR}/${kind === 'client_body' ? 'client' : kind}_temp`]),
  )
  return directive(
    'http',
    [],
    [
      ...temp,
      directive('include', ['/etc/nginx/mime.types']),
      directive('default_type', ['application/octet-stream']),
      directive('access_log', ['/dev/stdout']),
      directive('sendfile', ['on']),
      directive('keepalive_timeout', [65]),
      directive('include', [`${CONTAINER_PATHS.nginxConfDir}/*.conf`]),
    ],
  )
}

/**
 * The `stream` context: port 8443 (published as 443) reads the name the client asks for
 * (SNI) without terminating TLS, and hands the connection over a Unix socket to a stream
 * route's TLS terminator (TURN/TLS) or to the HTTPS servers of the site. Every hand-over
 * starts with a PROXY protocol header, so the HTTPS servers still see the client's address;
 * LiveKit's TURN cannot read that header, so its terminator drops it, and LiveKit sees
 * nginx as the client (TURN needs no client address: allocations are keyed by connection,
 * and the relayed media flows on the TURN server's own address).
 */
function streamContext(spec: DeploymentSpec): NginxDirective {
  const table = streamRoutes(spec)
  const terminators: NginxNode[] = table.flatMap((route) => [
    comment(route.description),
    directive(
      'server',
      [],
      [
        directive('listen', [streamRouteSocket(spec, route), 'ssl', 'proxy_protocol']),
        ...tlsDirectives(spec, `${spec.serviceName}_${route.name.replaceAll('-', '_')}`),
        directive('proxy_pass', [`${containerName(spec, route.target.service)}:${route.target.port}`]),
      ],
    ),
  ])
  return directive(
    'stream',
    [],
    [
      comment('TLS on 443 goes by the name the client asks for; every other name goes to the HTTPS servers.'),
      directive(
        'map',
        [expression(variable('ssl_preread_server_name')), expression(variable('tls_upstream'))],
        [
          ...table.flatMap((route) => route.hosts.map((host) => entry(host, streamRouteSocket(spec, route)))),
          entry('default', httpsSocket(spec)),
        ],
      ),
      directive(
        'server',
        [],
        [
          directive('listen', [CONTAINER_PORTS.nginxHttps]),
          directive('ssl_preread', ['on']),
          directive('proxy_pass', [expression(variable('tls_upstream'))]),
          directive('proxy_protocol', ['on']),
        ],
      ),
      ...terminators,
    ],
  )
}

/**
 * nginx's main config as a block tree, for a spec whose port 443 is shared by name (see
 * `streamRoutes`): the image's own main config has no `stream` context and cannot get one
 * from `conf.d` (included inside `http`). It keeps nginx-unprivileged's layout (pid and temp
 * files under `/tmp`, logs to the container's output, the site from `conf.d`) and adds the
 * `stream` context. The image builds the stream and SSL preread modules in.
 *
 * @throws Error if the spec has no stream routes (then the image's main config is used as is).
 */
export function nginxMainModel(spec: DeploymentSpec): NginxNode[] {
  if (streamRoutes(spec).length === 0) {
    throw new Error(`${BUNDLE_PATHS.nginxMainConf} is rendered only when port 443 is shared by name (TURN/TLS in standalone mode).`)
  }
  return [
    directive('worker_processes', ['auto']),
    directive('error_log', ['/dev/stderr', 'notice']),
    directive('pid', [NGINX_PID_FILE]),
    directive('events', [], [directive('worker_connections', [1024])]),
    httpContext(),
    streamContext(spec),
  ]
}

/**
 * Renders `nginx/nginx.conf`, mounted over the image's main config when port 443 is shared by
 * name (TURN/TLS). Pure: same spec, same bytes.
 *
 * @see https://nginx.org/en/docs/stream/ngx_stream_ssl_preread_module.html
 * @see https://nginx.org/en/docs/stream/ngx_stream_proxy_module.html#proxy_protocol
 */
export function renderNginxMain(spec: DeploymentSpec): string {
  return printNginx(nginxMainModel(spec), { header: generatedHeader(BUNDLE_PATHS.nginxMainConf) })
}
