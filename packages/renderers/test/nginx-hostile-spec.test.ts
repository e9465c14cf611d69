import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec } from '@messenger-stack/config-schema'
import { isNginxComment, isNginxEntry, type NginxArg, type NginxNode, type NginxPart } from '@messenger-stack/config-schema/nginx'
import { gatewayProxyModel, renderGatewayProxy } from '../src/gateway-proxy.js'
import { nginxSiteModel, renderNginxSite } from '../src/nginx-site.js'
import { exampleSpec } from './_bundle-support.js'
import { parseNginx, type ParsedDirective } from './support/nginx-parse.js'

/** What nginx should read for a model argument. */
function expectedArg(arg: NginxArg): string {
  if (typeof arg === 'string' || typeof arg === 'number') return String(arg)
  if (arg.kind === 'regex') return arg.pattern
  return arg.parts
    .map((part: NginxPart, index) => {
      if (part.kind === 'text') return part.value
      if (part.kind === 'placeholder') return part.token
      const next = arg.parts[index + 1]
      return next?.kind === 'text' && /^\w/.test(next.value) ? `\${${part.name}}` : `$${part.name}`
    })
    .join('')
}

/** The directives nginx should read for a model: comments vanish, table rows are words. */
function expectedTree(nodes: readonly NginxNode[]): ParsedDirective[] {
  return nodes.flatMap((node): ParsedDirective[] => {
    if (isNginxComment(node)) return []
    if (isNginxEntry(node)) {
      const [first, ...rest] = node.entry.map(expectedArg)
      return [{ name: first ?? '', args: rest }]
    }
    const args = node.args.map(expectedArg)
    return [node.children === undefined ? { name: node.name, args } : { name: node.name, args, children: expectedTree(node.children) }]
  })
}

const hostile = fc.oneof(
  fc.constantFrom(
    'example.org; return 200',
    'example.org\nreturn 200;',
    'a.example.org}server{',
    'x.org #',
    '$host.example.org',
    '"quoted".example.org',
    "/livekit/jwt'",
    '/livekit/jwt/;',
    '/livekit/{jwt}',
    '${ACTIVE_COLOR};return',
    '${ACTIVE_COLOR}',
    '${DEPLOY_COLOUR}',
  ),
  fc.string({ maxLength: 30 }),
)

/** Valid values of each field, so that rendering is exercised as often as refusal. */
const VALID: Record<string, readonly string[]> = {
  serviceName: ['chat-prod', 'm2'],
  serverName: ['matrix.example.org', 'xn--80ak6aa92e.example'],
  matrixHost: ['matrix.example.org', 'example.org'],
  elementHost: ['chat.example.org', 'example.org'],
  livekitHost: ['rtc.example.org', 'example.org'],
  jwtPath: ['/rtc/jwt', '/a.b/c_d-e'],
  sfuPath: ['/rtc/sfu', '/sfu'],
  colourPlaceholder: ['${DEPLOY_COLOUR}', '${C}'],
}

const FIELDS: Record<string, (value: string) => Record<string, unknown>> = {
  serviceName: (value) => ({ serviceName: value }),
  serverName: (value) => ({ serverName: value }),
  matrixHost: (value) => ({ matrixHost: value }),
  elementHost: (value) => ({ elementWeb: { host: value } }),
  livekitHost: (value) => ({ livekit: { host: value } }),
  jwtPath: (value) => ({ livekit: { jwtPath: value } }),
  sfuPath: (value) => ({ livekit: { sfuPath: value } }),
  colourPlaceholder: (value) => ({ gateway: { activeColorPlaceholder: value } }),
}

describe('hostile strings in spec fields that reach nginx (property)', () => {
  it('are refused by the spec, or nginx reads exactly the modelled directives', () => {
    let rendered = 0
    fc.assert(
      fc.property(
        fc
          .constantFrom(...Object.keys(FIELDS))
          .chain((field) => fc.tuple(fc.constant(field), fc.oneof(fc.constantFrom(...VALID[field]!), hostile))),
        fc.constantFrom('standalone', 'microservice'),
        ([field, value], mode) => {
          const input = {
            serverName: 'example.org',
            mode,
            ...(mode === 'standalone' ? { tls: { letsEncrypt: { email: 'admin@example.org' } } } : {}),
            ...FIELDS[field]!(value),
          }
          const parsed = safeParseDeploymentSpec(input)
          if (!parsed.success) return
          const spec = parsed.spec
          // Each mode's nginx file: the standalone site, or the gateway include.
          if (spec.mode === 'standalone') expect(parseNginx(renderNginxSite(spec))).toEqual(expectedTree(nginxSiteModel(spec)))
          else expect(parseNginx(renderGatewayProxy(spec))).toEqual(expectedTree(gatewayProxyModel(spec)))
          rendered++
        },
      ),
      { numRuns: 200 },
    )
    // Not vacuous: the valid values among the inputs were rendered and read back.
    expect(rendered).toBeGreaterThan(0)
  })

  it('the examples read back as their models', () => {
    const standalone = exampleSpec('standalone')
    const microservice = exampleSpec('microservice')
    expect(parseNginx(renderNginxSite(standalone))).toEqual(expectedTree(nginxSiteModel(standalone)))
    expect(parseNginx(renderGatewayProxy(microservice))).toEqual(expectedTree(gatewayProxyModel(microservice)))
  })
})
