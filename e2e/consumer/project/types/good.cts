// CommonJS under node16: the require conditions' types.
import { defineDeployment } from '@messenger-stack/config-schema'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { directive, printNginx } from '@messenger-stack/config-schema/nginx'
import { stableJson, toYaml } from '@messenger-stack/config-schema/formats'
import { gatewayProxyModel, renderHomeserver } from '@messenger-stack/renderers'

export const text: string = renderHomeserver(defineDeployment({ serverName: 'example.org', mode: 'microservice' }))
export const loaded = loadDeploymentSpec('deployment.yaml')
export const server: string = printNginx([
  directive(
    'server',
    [],
    gatewayProxyModel(defineDeployment({ serverName: 'example.org', mode: 'microservice' }), { activeColor: 'blue' }),
  ),
])
export const printed: string = toYaml({ server_name: 'example.org' }, { header: ['a tool of our own'] }) + stableJson({ b: 1, a: 2 })
