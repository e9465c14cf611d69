// ESM consumer: renders a spec file with the installed packages and prints every file.
import { readFileSync } from 'node:fs'
import { composeFilesFor } from '@messenger-stack/compose'
import { loadDeploymentSpecText } from '@messenger-stack/config-schema'
import { renderAll, renderHomeserver } from '@messenger-stack/renderers'

const file = process.argv[2]
const spec = loadDeploymentSpecText(readFileSync(file, 'utf8'), file)
for (const rendered of renderAll(spec)) process.stdout.write(`=== ${rendered.path} ${rendered.mode.toString(8)}\n${rendered.content}`)
for (const compose of composeFilesFor(spec)) process.stdout.write(`=== compose ${compose.path}\n${compose.content}`)
process.stdout.write(`=== homeserver\n${renderHomeserver(spec)}`)
