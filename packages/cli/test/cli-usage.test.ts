import { describe, expect, it } from 'vitest'
import { COMMANDS } from '../src/_commands.js'
import { run, tempDir } from './_helpers.js'

describe('usage', () => {
  it.each(COMMANDS.map((c) => c.name))('%s --help shows usage, flags and an example, exit 0', async (name) => {
    const result = await run([name, '--help'], { cwd: tempDir() })
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    expect(result.stdout).toMatch(/^Usage: messenger-stack /)
    const example = result.stdout.split(/\nExamples?:\n/)[1]
    expect(example).toMatch(new RegExp(`^  messenger-stack ${name}\\b`))
    expect(result.stdout).toContain('Exit codes:')
    // Passwords are never shown as arguments.
    expect(result.stdout).not.toMatch(/--password[ =](?!file)/)
  })

  it('lists every command in the top-level help', async () => {
    const result = await run(['--help'], { cwd: tempDir() })
    expect(result.code).toBe(0)
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.name} `)
    expect((await run(['help', 'render'], { cwd: tempDir() })).stdout).toMatch(/^Usage: messenger-stack render/)
  })

  it('no arguments: help on stderr, exit 2', async () => {
    const result = await run([], { cwd: tempDir() })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('Usage: messenger-stack')
  })

  it('unknown command: exit 2 with a suggestion', async () => {
    const result = await run(['rendr', 'x.yaml'], { cwd: tempDir() })
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatchInlineSnapshot(`
      "✖ Unknown command "rendr". Did you mean "render"? Run \`messenger-stack --help\` for the list.
      "
    `)
  })

  it('unknown flag: exit 2 with a suggestion, one message', async () => {
    const result = await run(['render', 'x.yaml', '--out', 'o', '--forse'], { cwd: tempDir() })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatchInlineSnapshot(`
      "✖ Unknown flag --forse for \`render\`. Did you mean --force? See \`messenger-stack render --help\`.
      "
    `)
  })

  it('missing arguments and values are usage errors', async () => {
    expect((await run(['validate'], { cwd: tempDir() })).stderr).toMatchInlineSnapshot(`
      "✖ \`validate\` needs <spec>. See \`messenger-stack validate --help\`.
      "
    `)
    expect((await run(['render', 'x.yaml', '--out'], { cwd: tempDir() })).stderr).toMatchInlineSnapshot(`
      "✖ --out needs a value (DIR).
      "
    `)
    expect((await run(['render', 'x.yaml'], { cwd: tempDir() })).code).toBe(2)
    expect((await run(['validate', 'a', 'b'], { cwd: tempDir() })).code).toBe(2)
  })

  it('--json usage errors still print exactly one JSON document on stdout', async () => {
    const result = await run(['render', 'x.yaml', '--json', '--bogus'], { cwd: tempDir() })
    expect(result.code).toBe(2)
    const doc = JSON.parse(result.stdout) as { ok: boolean; files: unknown[]; issues: unknown[]; error: string }
    expect(doc).toMatchObject({ ok: false, files: [], issues: [] })
    expect(doc.error).toContain('--bogus')
  })

  it('colours only on a TTY, and never with NO_COLOR', async () => {
    const dir = tempDir()
    expect((await run(['rendr'], { cwd: dir, isTTY: true })).stderr).toContain('\u001b[31m')
    expect((await run(['rendr'], { cwd: dir, isTTY: true, env: { NO_COLOR: '1' } })).stderr).not.toContain('\u001b[')
    expect((await run(['rendr'], { cwd: dir, isTTY: false })).stderr).not.toContain('\u001b[')
  })
})
