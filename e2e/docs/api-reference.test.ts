// The typedoc API reference is part of the product: every public export documented, no
// dangling references (typedoc.json treats warnings as errors). The command is taken from the
// README and run exactly as written there (`pnpm docs` would reach npm's own `docs` command).
import { execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The README line that says how to build the API reference, and its command. */
function readmeDocsCommand(): { command: string; out: string } {
  const line = readFileSync(join(root, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.includes('builds the typedoc API reference'))
  const match = line?.match(/^- `([^`]+)` builds the typedoc API reference into `([^`]+)\/`/)
  if (match === undefined || match === null) throw new Error('README.md no longer says how to build the API reference')
  return { command: match[1]!, out: match[2]! }
}

it('the README command builds the API reference of every package without a warning', () => {
  const { command, out } = readmeDocsCommand()
  expect(command).toBe('pnpm docs:build')
  const output = execSync(command, { cwd: root, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] })
  expect(output).toContain('html generated')
  expect(existsSync(join(root, out, 'index.html'))).toBe(true)
}, 300_000)
