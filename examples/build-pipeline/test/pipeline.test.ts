// The pipeline as CI runs it, with the built CLI: the committed deploy/ matches the spec, and
// each kind of drift (a hand edit, a missing file, an extra file, a spec change) fails the job.
import { spawnSync } from 'node:child_process'
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'

const here = fileURLToPath(new URL('..', import.meta.url))
const bin = join(here, 'node_modules/.bin/messenger-stack')
const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function run(args: string[], cwd = here) {
  return spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000 })
}

/** A copy of the example (spec and committed bundle) to break. */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ms-pipeline-'))
  temps.push(dir)
  cpSync(join(here, 'deployment.yaml'), join(dir, 'deployment.yaml'))
  cpSync(join(here, 'deploy'), join(dir, 'deploy'), { recursive: true })
  return dir
}

it('the committed deploy/ is exactly what the spec renders (run `pnpm render` here after a change)', () => {
  const result = run(['check', 'deployment.yaml', '--out', 'deploy'])
  expect(result.stdout + result.stderr).toContain('matches the spec')
  expect(result.status).toBe(0)
})

it('ci/check-drift.sh passes on the committed files', () => {
  const result = spawnSync('bash', [join(here, 'ci/check-drift.sh')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PATH: `${join(here, 'node_modules/.bin')}:${process.env['PATH']}` },
  })
  expect(result.status, result.stderr).toBe(0)
})

it.each([
  [
    'a hand edit',
    (dir: string) => appendFileSync(join(dir, 'deploy/synapse/config/homeserver.yaml'), 'enable_registration: true\n'),
    'changed',
  ],
  ['a missing file', (dir: string) => rmSync(join(dir, 'deploy/element/config.json')), 'missing'],
  [
    'a spec change without render',
    (dir: string) =>
      writeFileSync(join(dir, 'deployment.yaml'), readFileSync(join(dir, 'deployment.yaml'), 'utf8').replace('192.0.2.44', '192.0.2.45')),
    'changed',
  ],
])('fails the job on %s (exit 1, the file named in the JSON report)', (_what, breakIt, status) => {
  const dir = copy()
  breakIt(dir)
  const result = run(['check', 'deployment.yaml', '--out', 'deploy', '--json'], dir)
  expect(result.status).toBe(1)
  const report = JSON.parse(result.stdout)
  expect(JSON.stringify(report)).toContain(status)
})
