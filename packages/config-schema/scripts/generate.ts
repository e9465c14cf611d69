/**
 * Writes every generated file of config-schema (JSON Schemas, `.d.ts` interfaces, the
 * reference page). Run from the repository root: `pnpm generate`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generatedFiles } from './generated-files.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

for (const file of await generatedFiles()) {
  const target = join(root, file.path)
  const current = await readFile(target, 'utf8').catch(() => undefined)
  if (current === file.content) {
    console.log(`unchanged ${file.path}`)
    continue
  }
  await mkdir(dirname(target), { recursive: true })
  await writeFile(target, file.content)
  console.log(`wrote     ${file.path}`)
}
