// `messenger-stack diff ... | head`: the reader closes the pipe early; the command drops the
// rest of its output quietly (no EPIPE stack trace), finishes its work and keeps its exit code.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BIN, requireBuild } from './_bin.js'
import { tempDir } from './_helpers.js'

/** Runs `node BIN args | reader` in bash; returns the command's exit status and its stderr. */
function piped(args: readonly string[], reader: string, cwd: string): { status: number; stderr: string } {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word.replaceAll("'", `'"'"'`)}'`).join(' ')
  const result = spawnSync('bash', ['-c', `${quoted} 2>stderr.txt | ${reader}; exit "\${PIPESTATUS[0]}"`], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { status: result.status ?? -1, stderr: readFileSync(join(cwd, 'stderr.txt'), 'utf8') }
}

describe('a reader that closes the pipe early', () => {
  it('diff | head and diff | true: exit 1 (drift), no EPIPE, no stack trace', () => {
    requireBuild()
    const dir = tempDir()
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\nbackups: {encryption: none}\n')
    expect(spawnSync(process.execPath, [BIN, 'render', 'd.yaml', '--out', 'out'], { cwd: dir }).status).toBe(0)
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.net\ntls: {letsEncrypt: {email: a@example.org}}\nbackups: {encryption: none}\n')
    // `true` exits before the command writes anything, so its first write meets a closed pipe.
    for (const reader of ['head -n 1 >/dev/null', 'true']) {
      const result = piped(['diff', 'd.yaml', '--out', 'out'], reader, dir)
      expect(result.stderr, reader).not.toMatch(/EPIPE|node:events|Unhandled|at .*\.cjs/)
      expect(result.status, `${reader}: ${result.stderr}`).toBe(1)
    }
  })

  it('render | true still writes the whole bundle', () => {
    requireBuild()
    const dir = tempDir()
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\nbackups: {encryption: none}\n')
    const result = piped(['render', 'd.yaml', '--out', 'out'], 'true', dir)
    expect(result.stderr).not.toMatch(/EPIPE|node:events/)
    expect(result.status).toBe(0)
    expect(existsSync(join(dir, 'out/DEPLOY.md'))).toBe(true)
    // The manifest is written last: its presence means the render finished.
    expect(existsSync(join(dir, 'out/.messenger-stack/manifest.json'))).toBe(true)
  })
})
