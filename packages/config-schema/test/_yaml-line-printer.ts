// The YAML printer as it was before it was tuned for speed (issue 15): one string per line,
// joined at the end. Kept as the reference the fast printer is compared with, byte for byte,
// on generated data (yaml-printer-paths.test.ts); scalars come from the shared scalar rules,
// whose fast paths have reference tests of their own there.
import { numberScalar, stringScalar } from '../src/formats/_yaml-scalars.js'

type Map_ = { readonly [key: string]: unknown }

const isBlock = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0)

function inline(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return numberScalar(value)
  if (typeof value === 'string') return stringScalar(value)
  return Array.isArray(value) ? '[]' : '{}'
}

function block(out: string[], value: unknown, indent: string): void {
  if (Array.isArray(value)) seqLines(out, value, indent)
  else mapLines(out, value as Map_, indent)
}

function mapLines(out: string[], map: Map_, indent: string, firstPrefix?: string, comments?: Record<string, readonly string[]>): void {
  let first = true
  for (const key of Object.keys(map)) {
    const value = map[key]
    if (value === undefined) continue
    for (const line of comments?.[key] ?? []) out.push(`${indent}# ${line}`)
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent
    first = false
    const keyText = stringScalar(key)
    const explicit = keyText.length > 1000
    if (explicit) out.push(`${lead}? ${keyText}`)
    const head = explicit ? `${indent}:` : `${lead}${keyText}:`
    if (!isBlock(value)) out.push(`${head} ${inline(value)}`)
    else {
      out.push(head)
      block(out, value, `${indent}  `)
    }
  }
}

function seqLines(out: string[], items: readonly unknown[], indent: string, firstPrefix?: string): void {
  items.forEach((value, index) => {
    const lead = index === 0 && firstPrefix !== undefined ? firstPrefix : indent
    if (!isBlock(value)) out.push(`${lead}- ${inline(value)}`)
    else if (Array.isArray(value)) seqLines(out, value, `${indent}  `, `${lead}- `)
    else mapLines(out, value as Map_, `${indent}  `, `${lead}- `)
  })
}

/** The reference printer: same contract as `toYaml` for plain data without holes. */
export function toYamlByLines(value: unknown, header: readonly string[] = [], comments?: Record<string, readonly string[]>): string {
  const out: string[] = header.length === 0 ? [] : [...header.map((line) => (line === '' ? '' : `# ${line}`)), '']
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0)
    mapLines(out, value as Map_, '', undefined, comments)
  else if (Array.isArray(value) && value.length > 0) seqLines(out, value, '')
  else out.push(inline(value))
  return `${out.join('\n')}\n`
}
