// The built CLI loads yaml and TOML (dist/bin/libraries.cjs) only when a spec needs them
// (issue 15): a plain YAML spec is read by the fast reader, and their share of the command
// bundle stays out of every cold start. A spec that needs them must still get them.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, requireBuild } from './_bin.js'

const scratch = mkdtempSync(join(tmpdir(), 'ms-lazy-libraries-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

// Preloaded into the command's process: prints, at exit, whether the libraries bundle was loaded.
const probe = join(scratch, 'probe.cjs')
writeFileSync(
  probe,
  "process.on('exit', () => process.stderr.write(`\\nlibraries loaded: ${Object.keys(require.cache).some((f) => f.endsWith('libraries.cjs'))}\\n`))\n",
)

function validate(file: string): { status: number | null; stderr: string; loaded: boolean } {
  const run = spawnSync(process.execPath, ['--require', probe, BIN, 'validate', file], { encoding: 'utf8' })
  return { status: run.status, stderr: run.stderr, loaded: run.stderr.includes('libraries loaded: true') }
}

describe('libraries loaded on first use', () => {
  it('are not loaded to validate a plain YAML spec', () => {
    requireBuild()
    const run = validate(join(import.meta.dirname, '../../../examples/standalone/deployment.yaml'))
    expect(run.status, run.stderr).toBe(0)
    expect(run.loaded).toBe(false)
  })

  it('are loaded to locate a YAML syntax error, and to read a TOML spec', () => {
    requireBuild()
    const yaml = join(scratch, 'broken.yaml')
    writeFileSync(yaml, 'serverName: example.org\nsynapse:\n  listeners: [1\n')
    const broken = validate(yaml)
    expect(broken.status).toBe(1)
    expect(broken.stderr).toContain('is not valid YAML')
    expect(broken.stderr).toContain('broken.yaml:4:1')
    expect(broken.loaded).toBe(true)
    const toml = join(scratch, 'spec.toml')
    writeFileSync(toml, 'serverName = "example.org"\nserverName = "example.com"\n')
    const duplicate = validate(toml)
    expect(duplicate.status).toBe(1)
    expect(duplicate.stderr).toContain('sets the same key or table twice')
    expect(duplicate.loaded).toBe(true)
  })
})
