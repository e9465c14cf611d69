// Directives the route code writes the same way in every file and every render: module-level
// constants. The nginx printer prints a node it meets again in one file from its first printing,
// so a location that names one of these costs a table look-up, and no render builds them again.
// Not frozen: a frozen object or array takes another hidden class in V8, and the printer, which
// reads every node's fields, then runs polymorphic property loads on all of them (measured: the
// workers site and the router 5-9% slower frozen than not). The readonly types keep them unchanged.
import { directive, expression, variable, type NginxDirective } from '@messenger-stack/config-schema/nginx'

/** `proxy_set_header X-Forwarded-For $remote_addr;`: the client address nginx saw. */
export const FORWARDED_FOR: NginxDirective = directive('proxy_set_header', ['X-Forwarded-For', expression(variable('remote_addr'))])

/** `proxy_set_header Host $host;` */
export const HOST_HEADER: NginxDirective = directive('proxy_set_header', ['Host', expression(variable('host'))])

/** `proxy_http_version 1.1;` (keep-alive and WebSocket upgrades need it). */
export const HTTP_VERSION: NginxDirective = directive('proxy_http_version', ['1.1'])

/** The proxy headers of a file whose nginx terminates TLS itself (`X-Forwarded-Proto $scheme`). */
export const SCHEME_PROXY_HEADERS: readonly NginxDirective[] = [
  FORWARDED_FOR,
  directive('proxy_set_header', ['X-Forwarded-Proto', expression(variable('scheme'))]),
  HOST_HEADER,
  HTTP_VERSION,
]

/** A CORS preflight, answered by nginx before the location's `return` (a file cannot answer it). */
export const PREFLIGHT: NginxDirective = directive(
  'if',
  [expression('(', variable('request_method')), '=', 'OPTIONS)'],
  [directive('return', [204])],
)

/** `proxy_set_header Upgrade $http_upgrade;` of a WebSocket route. */
export const UPGRADE_HEADER: NginxDirective = directive('proxy_set_header', ['Upgrade', expression(variable('http_upgrade'))])

/** `proxy_buffering off;` of a WebSocket route: frames go through as they come. */
export const NO_BUFFERING: NginxDirective = directive('proxy_buffering', ['off'])

/** `return 404;`, the body of a refused route and of the `location /` that answers nothing. */
export const NOT_FOUND: NginxDirective = directive('return', [404])
