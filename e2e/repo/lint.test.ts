// The formatter and linter are part of CI: `pnpm lint` (Biome, configured in biome.json)
// must be clean on every commit, so style drift and the bugs its rules catch fail the build.
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

it('biome check (format + lint) is clean', () => {
  const result = spawnSync(join(root, 'node_modules/.bin/biome'), ['check', '--colors=off', '.'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  })
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0)
}, 150_000)
