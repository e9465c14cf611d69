import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { unifiedDiff } from '../src/index.js'
import { tempDir } from './_helpers.js'

const MARK = '<no newline>'

/** Text as lines, the last one marked when the text has no final newline. */
function toLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  else lines[lines.length - 1] += MARK
  return lines
}

function fromLines(lines: readonly string[]): string {
  return lines.map((line) => (line.endsWith(MARK) ? line.slice(0, -MARK.length) : `${line}\n`)).join('')
}

/** Applies a unified diff (strict: every context and removed line must match). */
function applyPatch(before: string, patch: string): string {
  if (patch === '') return before
  const source = toLines(before)
  const raw = patch.split('\n').slice(2)
  if (raw.at(-1) === '') raw.pop()
  const lines: string[] = []
  for (const line of raw) {
    if (line === '\\ No newline at end of file') lines[lines.length - 1] += MARK
    else lines.push(line)
  }
  const out: string[] = []
  let cursor = 0
  for (let i = 0; i < lines.length; ) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(lines[i]!)
    if (header === null) throw new Error(`bad hunk header ${lines[i]}`)
    const count = header[2] === undefined ? 1 : Number(header[2])
    const start = count === 0 ? Number(header[1]) : Number(header[1]) - 1
    while (cursor < start) out.push(source[cursor++]!)
    for (i++; i < lines.length && !lines[i]!.startsWith('@@'); i++) {
      const line = lines[i]!
      const body = line.slice(1)
      if (line[0] === ' ' || line[0] === '-') {
        if (source[cursor] !== body) throw new Error(`context mismatch at line ${cursor + 1}`)
        cursor++
      }
      if (line[0] === ' ' || line[0] === '+') out.push(body)
    }
  }
  while (cursor < source.length) out.push(source[cursor++]!)
  return fromLines(out)
}

// Lines of the inputs; the final-newline question is part of the property.
const text = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'x: 1', '', 'server_name: example.org'), { maxLength: 30 }), fc.boolean())
  .map(([lines, newline]) => (lines.length === 0 ? '' : lines.join('\n') + (newline ? '\n' : '')))

describe('unifiedDiff', () => {
  it('is empty for equal texts and pins the format', () => {
    expect(unifiedDiff('same\n', 'same\n', { from: 'a/x', to: 'b/x' })).toBe('')
    expect(unifiedDiff('one\ntwo\nthree\n', 'one\n2\nthree\nfour\n', { from: 'a/f.yaml', to: 'b/f.yaml' })).toMatchInlineSnapshot(`
      "--- a/f.yaml
      +++ b/f.yaml
      @@ -1,3 +1,4 @@
       one
      -two
      +2
       three
      +four
      "
    `)
    expect(unifiedDiff('a', 'a\n', { from: 'a/x', to: 'b/x' })).toMatchInlineSnapshot(`
      "--- a/x
      +++ b/x
      @@ -1 +1 @@
      -a
      \\ No newline at end of file
      +a
      "
    `)
    expect(unifiedDiff('', 'new\n', { from: '/dev/null', to: 'b/x' })).toContain('@@ -0,0 +1 @@\n+new\n')
  })

  it('applying the diff to the old text gives the new text (200 runs)', () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const patch = unifiedDiff(before, after, { from: 'a', to: 'b' })
        expect(applyPatch(before, patch)).toBe(after)
      }),
      { numRuns: 200 },
    )
  })

  it('is accepted by patch(1) when available', () => {
    const dir = tempDir()
    const before = `${Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n')}\n`
    const after = before.replace('line 3\n', 'line three\n').replace('line 30\n', '').concat('tail\n')
    writeFileSync(join(dir, 'f'), before)
    writeFileSync(join(dir, 'p'), unifiedDiff(before, after, { from: 'a/f', to: 'b/f' }))
    let hasPatch = true
    try {
      execFileSync('patch', ['--version'], { stdio: 'ignore' })
    } catch {
      hasPatch = false
    }
    if (!hasPatch) return expect(applyPatch(before, unifiedDiff(before, after, { from: 'a/f', to: 'b/f' }))).toBe(after)
    execFileSync('patch', ['-s', '-p1', '-i', 'p'], { cwd: dir })
    expect(execFileSync('cat', ['f'], { cwd: dir, encoding: 'utf8' })).toBe(after)
  })
})
