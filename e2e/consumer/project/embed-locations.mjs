// ESM consumer of the nginx subpath: our location blocks inside a server block of its own.
import { readFileSync } from 'node:fs'
import { loadDeploymentSpecText } from '@messenger-stack/config-schema'
import { directive, NginxConfigSchema, printNginx } from '@messenger-stack/config-schema/nginx'
import { gatewayProxyModel, renderGatewayLocations } from '@messenger-stack/renderers'

const file = process.argv[2]
const spec = loadDeploymentSpecText(readFileSync(file, 'utf8'), file)
const server = directive('server', [], [directive('listen', [8443, 'ssl']), ...gatewayProxyModel(spec, { activeColor: 'blue' })])
NginxConfigSchema.parse([server])
process.stdout.write(printNginx([server]))
process.stdout.write(`=== text\n${renderGatewayLocations(spec, { activeColor: 'blue' })}`)
