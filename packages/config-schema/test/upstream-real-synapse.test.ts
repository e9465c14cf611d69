// The upstream-style homeserver.yaml that the lenient schema accepts is a file real Synapse
// (the provisioned 1.163 venv, from .ci/provision.sh) loads: Synapse's own config classes read
// and check every section of it. Fails, never skips, when Synapse is not provisioned.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { validateHomeserver } from '../src/index.js'

const work = mkdtempSync(join(tmpdir(), 'ms-real-synapse-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

function synapsePython(): string {
  const file = `${process.env['MESSENGER_STACK_CACHE'] ?? '/var/cache/messenger-stack'}/env.sh`
  const line = existsSync(file) ? readFileSync(file, 'utf8').match(/^export SYNAPSE_PYTHON=(.*)$/m) : null
  const python = process.env['SYNAPSE_PYTHON'] ?? line?.[1]?.replace(/^'(.*)'$/, '$1')
  if (python === undefined || !existsSync(python)) throw new Error('Synapse is not provisioned: run `bash .ci/provision.sh` as root.')
  return python
}

const LOAD = `
import sys
from synapse.config.homeserver import HomeServerConfig
args = ['-c', sys.argv[1]]
HomeServerConfig.load_or_generate_config('messenger-stack test', [*args, '--generate-missing-configs'])
config = HomeServerConfig.load_config('messenger-stack test', args)
print('loaded', config.server.server_name)
`

it('real Synapse loads the upstream-style fixture', () => {
  const fixture = readFileSync(new URL('fixtures/upstream/homeserver.yaml', import.meta.url), 'utf8')
  expect(validateHomeserver(fixture).success).toBe(true)
  // Its paths point into a folder of this test (Synapse writes the signing key and log config
  // there); URL previews are off because they need an optional Python package the venv lacks.
  const text = fixture.replaceAll('/data/', `${work}/`).replace('url_preview_enabled: true', 'url_preview_enabled: false')
  writeFileSync(join(work, 'homeserver.yaml'), text)
  const result = spawnSync(synapsePython(), ['-c', LOAD, join(work, 'homeserver.yaml')], { encoding: 'utf8', timeout: 120_000 })
  expect(result.stdout + result.stderr).toContain('loaded chat.example.test')
  expect(result.status).toBe(0)
}, 150_000)

it('and refuses the kind of mistake the lenient schema reports', () => {
  const text = 'server_name: chat.example.test\nreport_stats: false\nlisteners:\n  - port: 8008\n    type: https\n'
  expect(validateHomeserver(text).success).toBe(false)
  writeFileSync(join(work, 'broken.yaml'), text)
  const result = spawnSync(synapsePython(), ['-c', LOAD, join(work, 'broken.yaml')], { encoding: 'utf8', timeout: 120_000 })
  expect(result.status).not.toBe(0)
  expect(result.stdout + result.stderr).toContain("'type' must be in")
}, 150_000)
