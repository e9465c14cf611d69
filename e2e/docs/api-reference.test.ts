// The typedoc API reference is part of the product: every public export documented, no
// dangling references. typedoc runs over all four packages exactly as `pnpm docs` does.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

it('typedoc builds the API reference of every package without a warning', () => {
  const out = mkdtempSync(join(tmpdir(), 'ms-typedoc-'))
  try {
    const result = spawnSync(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--treatWarningsAsErrors', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    })
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
    expect(result.stdout).toContain('html generated')
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}, 300_000)
