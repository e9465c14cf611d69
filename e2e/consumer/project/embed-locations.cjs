// CommonJS consumer: the same as embed-locations.mjs through require().
const { readFileSync } = require('node:fs')
const { loadDeploymentSpecText } = require('@messenger-stack/config-schema')
const { directive, NginxConfigSchema, printNginx } = require('@messenger-stack/config-schema/nginx')
const { gatewayProxyModel, renderGatewayLocations } = require('@messenger-stack/renderers')

const file = process.argv[2]
const spec = loadDeploymentSpecText(readFileSync(file, 'utf8'), file)
const server = directive('server', [], [directive('listen', [8443, 'ssl']), ...gatewayProxyModel(spec, { activeColor: 'blue' })])
NginxConfigSchema.parse([server])
process.stdout.write(printNginx([server]))
process.stdout.write(`=== text\n${renderGatewayLocations(spec, { activeColor: 'blue' })}`)
