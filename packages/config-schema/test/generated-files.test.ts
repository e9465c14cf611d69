import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { generatedFiles } from '../scripts/generated-files.js'
import { repoPath } from './_helpers.js'

const files = await generatedFiles()

describe('generated files', () => {
  it('cover the schemas, their interfaces and the reference page', () => {
    expect(files.map((f) => f.path)).toMatchInlineSnapshot(`
      [
        "packages/config-schema/schema/deployment-spec.schema.json",
        "packages/config-schema/schema/secrets.schema.json",
        "packages/config-schema/schema/deployment-spec.d.ts",
        "packages/config-schema/schema/deployment-spec.d.cts",
        "packages/config-schema/schema/deployment-spec-parsed.d.ts",
        "packages/config-schema/schema/secrets.d.ts",
        "packages/config-schema/schema/secrets.d.cts",
        "docs/reference/deployment-spec.md",
        "packages/config-schema/src/checks/_ownership-trees.ts",
      ]
    `)
  })

  it.each(files.map((f) => [f.path, f] as const))('%s is committed and up to date (run `pnpm generate`)', (path, file) => {
    const target = repoPath(path)
    expect(existsSync(target), `${path} is missing: run \`pnpm generate\` and commit it`).toBe(true)
    const committed = readFileSync(target, 'utf8')
    expect(committed === file.content, `${path} is stale: run \`pnpm generate\` and commit it`).toBe(true)
  })

  it('are deterministic', async () => {
    expect(await generatedFiles()).toEqual(files)
  })

  it('every generated file ends with one newline and has no carriage return', () => {
    for (const file of files) {
      expect(file.content.endsWith('\n') && !file.content.endsWith('\n\n')).toBe(true)
      expect(file.content.includes('\r')).toBe(false)
    }
  })
})
