// Usage: tsx src/main.ts <deployment.yaml> <out/homeserver.yaml>
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { formatIssues } from '@messenger-stack/config-schema'
import { safeLoadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { renderWithPolicy } from './policy.js'

const [specFile, outFile] = process.argv.slice(2)
if (specFile === undefined || outFile === undefined) {
  console.error('usage: tsx src/main.ts <deployment.yaml> <out/homeserver.yaml>')
  process.exit(2)
}
const result = await safeLoadDeploymentSpec(specFile)
if (!result.success) {
  console.error(formatIssues(result.issues, { color: process.stderr.isTTY }))
  process.exit(1)
}
mkdirSync(dirname(outFile), { recursive: true })
writeFileSync(outFile, renderWithPolicy(result.spec, { adminContact: 'admin@example.net', maxLifetime: '180d' }))
console.log(`wrote ${outFile}`)
