// Usage: tsx src/main.ts <out>: writes <out>/<tenant>/... for every tenant.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { renderAll } from '@messenger-stack/renderers'
import { tenantSpecs } from './tenants.js'

const out = process.argv[2] ?? 'out'
for (const [id, spec] of tenantSpecs()) {
  const files = renderAll(spec)
  for (const file of files) {
    const target = join(out, id, file.path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, file.content, { mode: file.mode })
  }
  console.log(`${id}: ${files.length} files`)
}
