// The type checker is part of CI: the builds check only what they bundle (each package's
// src), so tests, examples and the e2e harness would drift unchecked; `pnpm typecheck` runs
// `tsc --noEmit` on every workspace package, their tests included.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

it('pnpm typecheck (tsc --noEmit in every workspace package) is clean', () => {
  const result = spawnSync('pnpm', ['-r', '--workspace-concurrency=1', 'typecheck'], { cwd: root, encoding: 'utf8', timeout: 540_000 })
  expect(result.status, `${result.stdout}\n${result.stderr}`.slice(-6000)).toBe(0)
}, 600_000)
