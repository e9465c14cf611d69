/**
 * Concrete request paths for a Synapse route regex: every alternative of each `(a|b)` group,
 * named groups replaced by a sample segment, anchors dropped. `^/x/(r0|v3)/y$` gives
 * `/x/r0/y` and `/x/v3/y`.
 */
export function samplePaths(pattern: string): string[] {
  const body = pattern
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .replace(/\(\?P<[a-z_]+>[^)]*\)/g, 'sample_1')
    .replaceAll('\\.', '.')
  const expand = (text: string): string[] => {
    const open = text.indexOf('(')
    if (open < 0) return [text]
    const close = text.indexOf(')', open)
    const options = text.slice(open + 1, close).split('|')
    return options.flatMap((option) => expand(`${text.slice(0, open)}${option}${text.slice(close + 1)}`))
  }
  return expand(body)
}
