// Directives the route code writes the same way in every file and every render: module-level
// constants. The nginx printer prints a node it meets again in one file from its first printing,
// so a location that names one of these costs a table look-up, and no render builds them again.
// Frozen all the way down: every model the public model functions return (`nginxSiteModel`,
// `routerModel`, `gatewayProxyModel`) holds these very objects, so a caller that changed one
// would change every later render of the process (test/model-sharing.test.ts). Frozen nodes take
// other hidden classes in V8, which was measured ~5-9% slower on printing the site and the router
// alone (~1% of a workers bundle): the price of renders that cannot leak into each other.
import { directive, expression, variable, type NginxDirective } from '@messenger-stack/config-schema/nginx'
import { deepFreeze } from './kubernetes/_shared.js'

/** `proxy_set_header X-Forwarded-For $remote_addr;`: the client address nginx saw. */
export const FORWARDED_FOR: NginxDirective = deepFreeze(
  directive('proxy_set_header', ['X-Forwarded-For', expression(variable('remote_addr'))]),
)

/** `proxy_set_header Host $host;` */
export const HOST_HEADER: NginxDirective = deepFreeze(directive('proxy_set_header', ['Host', expression(variable('host'))]))

/** `proxy_http_version 1.1;` (keep-alive and WebSocket upgrades need it). */
export const HTTP_VERSION: NginxDirective = deepFreeze(directive('proxy_http_version', ['1.1']))

/** The proxy headers of a file whose nginx terminates TLS itself (`X-Forwarded-Proto $scheme`). */
export const SCHEME_PROXY_HEADERS: readonly NginxDirective[] = deepFreeze([
  FORWARDED_FOR,
  directive('proxy_set_header', ['X-Forwarded-Proto', expression(variable('scheme'))]),
  HOST_HEADER,
  HTTP_VERSION,
])

/** A CORS preflight, answered by nginx before the location's `return` (a file cannot answer it). */
export const PREFLIGHT: NginxDirective = deepFreeze(
  directive('if', [expression('(', variable('request_method')), '=', 'OPTIONS)'], [directive('return', [204])]),
)

/** `proxy_set_header Upgrade $http_upgrade;` of a WebSocket route. */
export const UPGRADE_HEADER: NginxDirective = deepFreeze(directive('proxy_set_header', ['Upgrade', expression(variable('http_upgrade'))]))

/** `proxy_buffering off;` of a WebSocket route: frames go through as they come. */
export const NO_BUFFERING: NginxDirective = deepFreeze(directive('proxy_buffering', ['off']))

/** `return 404;`, the body of a refused route and of the `location /` that answers nothing. */
export const NOT_FOUND: NginxDirective = deepFreeze(directive('return', [404]))
