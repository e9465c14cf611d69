import { BUNDLE_PATHS, WELL_KNOWN_CORS, deriveValues, wellKnownSupport, type DeploymentSpec } from '@messenger-stack/config-schema'
import { stableJson } from '@messenger-stack/config-schema/formats'
import { renderWellKnownClient, renderWellKnownServer } from './well-known.js'

/** The response headers of both documents: JSON, readable from any origin (the standalone nginx sends the same). */
function headerLines(): string[] {
  return [
    'Content-Type: application/json',
    `Access-Control-Allow-Origin: ${WELL_KNOWN_CORS.allowOrigin}`,
    `Access-Control-Allow-Methods: ${WELL_KNOWN_CORS.allowMethods.join(', ')}`,
    `Access-Control-Allow-Headers: ${WELL_KNOWN_CORS.allowHeaders.join(', ')}`,
  ]
}

/** A fenced block holding `content` exactly (it ends with its own newline). */
function fenced(language: string, content: string): string[] {
  return [`\`\`\`${language}`, ...content.replace(/\n$/, '').split('\n'), '```']
}

/**
 * The DEPLOY.md section for `wellKnown.servedBy: elsewhere`: the two documents (three with a
 * `support` section) another web server must publish for the server name, byte for byte what this bundle would serve
 * (printed by `renderWellKnownClient` and `renderWellKnownServer`), with their headers and the
 * `curl` commands that check them. Empty when this deployment serves them itself.
 */
export function wellKnownElsewhereSection(spec: DeploymentSpec): string[] {
  const derived = deriveValues(spec)
  if (derived.wellKnownServedHere) return []
  const base = `https://${spec.serverName}/.well-known/matrix`
  // The support document too, when the spec has one: it belongs on the server name as well.
  const support = wellKnownSupport(spec)
  const where =
    spec.mode === 'microservice'
      ? `the web server of \`${spec.serverName}\` (the gateway's server block for it, or another server)`
      : `the web server of \`${spec.serverName}\``
  return [
    `## Well-known files on ${spec.serverName}`,
    '',
    `\`${spec.serverName}\` is served by another web server (\`wellKnown.servedBy: elsewhere\`), so this bundle`,
    'leaves it out of its nginx site, its certificate and the DNS records above. Clients find the',
    `Matrix APIs on \`${derived.matrixHost}\`, other servers federate with it, and the MatrixRTC authorisation`,
    `service verifies users, all through these ${support === undefined ? 'two ' : ''}documents, which ${where} must serve:`,
    '',
    `\`${base}/client\`:`,
    '',
    ...fenced('json', renderWellKnownClient(spec)),
    '',
    `\`${base}/server\`:`,
    '',
    ...fenced('json', renderWellKnownServer(spec)),
    '',
    ...(support === undefined
      ? []
      : [
          `\`${base}/support\` (the \`support\` section of the spec: who to contact about this server):`,
          '',
          ...fenced('json', stableJson(support)),
          '',
        ]),
    spec.mode === 'standalone'
      ? `Serve each exactly as printed (the same bytes as \`${BUNDLE_PATHS.wellKnownClient}\` and \`${BUNDLE_PATHS.wellKnownServer}\` of this bundle), with status 200 and these`
      : 'Serve each exactly as printed, with status 200 and these',
    'headers; browsers read the client document from other origins, so the CORS headers matter, and',
    'an `OPTIONS` request should get them too:',
    '',
    ...fenced('', headerLines().join('\n')),
    '',
    `Check ${support === undefined ? 'both' : 'them'} from any machine; each must answer \`200\` with the headers and the JSON above:`,
    '',
    ...fenced(
      'sh',
      [
        `curl -fsS -D - ${base}/client`,
        `curl -fsS -D - ${base}/server`,
        ...(support === undefined ? [] : [`curl -fsS -D - ${base}/support`]),
      ].join('\n'),
    ),
    '',
  ]
}
