/** Options of {@link unifiedDiff}. */
export interface DiffOptions {
  /** Label of the old side, such as `a/homeserver.yaml` or `/dev/null`. */
  readonly from: string
  /** Label of the new side. */
  readonly to: string
  /** Lines of context around each change (default 3). */
  readonly context?: number
}

type Op = { readonly kind: ' ' | '-' | '+'; readonly line: string; readonly a: number; readonly b: number }

const NO_NEWLINE = '\\ No newline at end of file'

// A last line without a final newline carries this marker, so that "x" and "x\n" differ.
const NO_NEWLINE_MARK = '\u0000no-newline'

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  else lines[lines.length - 1] += NO_NEWLINE_MARK
  return lines
}

/** Longest-common-subsequence edit script of the middle part (after common prefix/suffix). */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const ops: Op[] = []
  for (let i = 0; i < start; i++) ops.push({ kind: ' ', line: a[i]!, a: i, b: i })
  const n = endA - start
  const m = endB - start
  if (n * m > 4_000_000) {
    // Too large for the quadratic table: show the middle as replaced, still a correct diff.
    for (let i = start; i < endA; i++) ops.push({ kind: '-', line: a[i]!, a: i, b: start })
    for (let j = start; j < endB; j++) ops.push({ kind: '+', line: b[j]!, a: endA, b: j })
  } else {
    // lcs[i][j] = LCS length of a[start+i..endA) and b[start+j..endB).
    const width = m + 1
    const lcs = new Uint32Array((n + 1) * width)
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * width + j] =
          a[start + i] === b[start + j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!)
      }
    }
    let i = 0
    let j = 0
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        ops.push({ kind: ' ', line: a[start + i]!, a: start + i, b: start + j })
        i++
        j++
      } else if (i < n && (j === m || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
        // Removals before additions, as diff(1) prints them.
        ops.push({ kind: '-', line: a[start + i]!, a: start + i, b: start + j })
        i++
      } else {
        ops.push({ kind: '+', line: b[start + j]!, a: start + i, b: start + j })
        j++
      }
    }
  }
  for (let k = 0; k < a.length - endA; k++) ops.push({ kind: ' ', line: a[endA + k]!, a: endA + k, b: endB + k })
  return ops
}

function range(start: number, count: number): string {
  // Unified diff convention: an empty range names the line before it.
  return count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`
}

/**
 * A unified diff (`diff -u` format) from `before` to `after`; empty when they are equal.
 * Small and dependency-free: LCS on the part between the common prefix and suffix.
 *
 * @example
 * unifiedDiff('a\nb\n', 'a\nc\n', { from: 'a/x', to: 'b/x' })
 */
export function unifiedDiff(before: string, after: string, options: DiffOptions): string {
  if (before === after) return ''
  const context = options.context ?? 3
  const ops = editScript(splitLines(before), splitLines(after))
  const out = [`--- ${options.from}`, `+++ ${options.to}`]
  const changed = ops.map((op, index) => (op.kind === ' ' ? -1 : index)).filter((index) => index >= 0)
  let k = 0
  while (k < changed.length) {
    const first = Math.max(0, changed[k]! - context)
    let last = Math.min(ops.length - 1, changed[k]! + context)
    while (k + 1 < changed.length && changed[k + 1]! - context <= last + 1) {
      k++
      last = Math.min(ops.length - 1, changed[k]! + context)
    }
    k++
    const hunk = ops.slice(first, last + 1)
    const aCount = hunk.filter((op) => op.kind !== '+').length
    const bCount = hunk.filter((op) => op.kind !== '-').length
    out.push(`@@ -${range(hunk[0]!.a, aCount)} +${range(hunk[0]!.b, bCount)} @@`)
    for (const op of hunk) {
      if (op.line.endsWith(NO_NEWLINE_MARK)) out.push(`${op.kind}${op.line.slice(0, -NO_NEWLINE_MARK.length)}`, NO_NEWLINE)
      else out.push(`${op.kind}${op.line}`)
    }
  }
  return `${out.join('\n')}\n`
}
