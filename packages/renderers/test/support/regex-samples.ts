// Request paths that match a route regex of Synapse's worker endpoint table, built at random
// (fast-check, fixed seed) from the regex itself: each `(a|b)` picks an alternative, `(...)?`
// is kept or dropped, `.*` and `[^/]+` become Matrix-looking segments (room, user and event
// IDs, and words other patterns look for, so that patterns collide as they would in real
// traffic), and an unanchored end may get a tail. Every sample is checked against the regex.
import fc from 'fast-check'

/** Segments of no slash: IDs as Matrix clients send them, and words the table's patterns contain. */
const SEGMENTS = [
  '!AbCdEf:example.com',
  '!room2:example.org',
  '@alice:example.com',
  '@bob:remote.example',
  '$Ev3nt_Id-1',
  'm.room.message',
  'm.read',
  'txn42',
  'send',
  'state',
  'typing',
  'tags',
  'account_data',
  'keys',
  'upload',
  'members',
  'media',
  'sync',
  'rooms',
  'restart',
  'x',
] as const

const segment = fc.constantFrom(...SEGMENTS)
/** What `.*` stands for: nothing, one segment, or a few joined by slashes. */
const anyText = fc.oneof(
  fc.constant(''),
  segment,
  fc.array(segment, { minLength: 2, maxLength: 3 }).map((parts) => parts.join('/')),
)

type Part =
  | { kind: 'text'; text: string }
  | { kind: 'any' }
  | { kind: 'segment' }
  | { kind: 'end' }
  | { kind: 'group'; options: Part[][]; optional: boolean }

/** Splits a pattern into literal text, wildcards and groups (no nesting beyond one level needs more). */
function parse(pattern: string): Part[] {
  let index = 0
  const parseSeq = (stopAt: string[]): Part[] => {
    const parts: Part[] = []
    while (index < pattern.length && !stopAt.includes(pattern[index]!)) {
      const rest = pattern.slice(index)
      if (rest.startsWith('^')) index += 1
      else if (rest.startsWith('.*')) {
        parts.push({ kind: 'any' })
        index += 2
      } else if (rest.startsWith('[^/]+') || rest.startsWith('[^/]*')) {
        parts.push({ kind: 'segment' })
        index += 5
      } else if (rest.startsWith('$')) {
        parts.push({ kind: 'end' })
        index += 1
      } else if (rest.startsWith('\\')) {
        parts.push({ kind: 'text', text: rest[1]! })
        index += 2
      } else if (rest.startsWith('(')) {
        index += rest.startsWith('(?:') ? 3 : 1
        const options: Part[][] = [parseSeq(['|', ')'])]
        while (pattern[index] === '|') {
          index += 1
          options.push(parseSeq(['|', ')']))
        }
        index += 1 // ')'
        const optional = pattern[index] === '?'
        if (optional) index += 1
        parts.push({ kind: 'group', options, optional })
      } else {
        parts.push({ kind: 'text', text: rest[0]! })
        index += 1
      }
    }
    return parts
  }
  return parseSeq([])
}

/** An arbitrary for the text of a parsed sequence; `end` makes the rest empty. */
function sequence(parts: readonly Part[]): fc.Arbitrary<{ text: string; ended: boolean }> {
  let arb: fc.Arbitrary<{ text: string; ended: boolean }> = fc.constant({ text: '', ended: false })
  for (const part of parts) {
    const next: fc.Arbitrary<{ text: string; ended: boolean }> =
      part.kind === 'text'
        ? fc.constant({ text: part.text, ended: false })
        : part.kind === 'any'
          ? anyText.map((text) => ({ text, ended: false }))
          : part.kind === 'segment'
            ? segment.map((text) => ({ text, ended: false }))
            : part.kind === 'end'
              ? fc.constant({ text: '', ended: true })
              : fc
                  .oneof(...part.options.map(sequence), ...(part.optional ? [fc.constant({ text: '', ended: false })] : []))
                  .map((value) => value)
    arb = fc.tuple(arb, next).map(([a, b]) => (a.ended ? a : { text: a.text + b.text, ended: b.ended }))
  }
  return arb
}

/** `count` distinct sample paths for `pattern` (a prefix when `prefix`), each matching it. */
export function regexSamples(pattern: string, count: number, seed: number, prefix = false): string[] {
  const tail = fc.constantFrom('', '', 'x', '/x', `/${SEGMENTS[0]}`)
  const arb = fc
    .tuple(sequence(parse(prefix ? `^${pattern}` : pattern)), tail)
    .map(([body, extra]) => (body.ended ? body.text : body.text + extra))
  const re = prefix ? null : new RegExp(pattern)
  const out = new Set<string>()
  for (const sample of fc.sample(arb, { seed, numRuns: count * 20 })) {
    if (out.size >= count) break
    if (sample.includes('//') || !sample.startsWith('/')) continue
    if (re !== null ? re.test(sample) : sample.startsWith(pattern)) out.add(sample)
  }
  if (out.size === 0) throw new Error(`no sample path matches ${pattern}`)
  return [...out]
}
