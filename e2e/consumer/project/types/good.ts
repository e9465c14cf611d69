// Compiles under node16 and bundler resolution against the installed tarballs.
import { defineDeployment, type DeploymentSpec, validateHomeserver } from '@messenger-stack/config-schema'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { directive, type NginxNode, printNginx } from '@messenger-stack/config-schema/nginx'
import { stableJson, toYaml } from '@messenger-stack/config-schema/formats'
import type { DeploymentSpecDocument } from '@messenger-stack/config-schema/schema/deployment-spec'
import { gatewayProxyModel, renderAll, renderGatewayLocations, renderHomeserver, type RenderedFile } from '@messenger-stack/renderers'
import { composeFilesFor } from '@messenger-stack/compose'
import { CLI_VERSION, cli } from '@messenger-stack/cli'

const spec: DeploymentSpec = defineDeployment({
  serverName: 'example.org',
  tls: { letsEncrypt: { email: 'admin@example.org' } },
  livekit: { udpRange: { start: 50000, end: 50100 } },
  containerUser: { uid: 1000, gid: 1000 },
})
const micro = defineDeployment({ serverName: 'example.org', mode: 'microservice' })
const files: RenderedFile[] = renderAll(spec)
const homeserver: string = renderHomeserver(micro)
const locations: NginxNode[] = gatewayProxyModel(micro, { activeColor: 'green' })
const server: string = printNginx([directive('server', [], [directive('listen', [8443]), ...locations])])
const pasted: string = renderGatewayLocations(micro)
const document: DeploymentSpecDocument = { serverName: 'example.org' }
const result = validateHomeserver(homeserver)
const names: string[] = result.success ? Object.keys(result.config) : result.issues.map((issue) => issue.message)
const run: Promise<number> = cli(['--version'], {} as Parameters<typeof cli>[1])
export { composeFilesFor, document, files, names, pasted, run, server, CLI_VERSION }
export const loaded: Promise<DeploymentSpec> = loadDeploymentSpec('deployment.yaml')
export const printed: string = toYaml({ server_name: 'example.org' }, { header: ['a tool of our own'] }) + stableJson({ b: 1, a: 2 })
