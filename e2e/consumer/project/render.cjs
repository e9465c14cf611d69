// CommonJS consumer: the same as render.mjs through require().
const { readFileSync } = require('node:fs')
const { composeFilesFor } = require('@messenger-stack/compose')
const { loadDeploymentSpecText } = require('@messenger-stack/config-schema')
const { renderAll, renderHomeserver } = require('@messenger-stack/renderers')

const file = process.argv[2]
const spec = loadDeploymentSpecText(readFileSync(file, 'utf8'), file)
for (const rendered of renderAll(spec)) process.stdout.write(`=== ${rendered.path} ${rendered.mode.toString(8)}\n${rendered.content}`)
for (const compose of composeFilesFor(spec)) process.stdout.write(`=== compose ${compose.path}\n${compose.content}`)
process.stdout.write(`=== homeserver\n${renderHomeserver(spec)}`)
