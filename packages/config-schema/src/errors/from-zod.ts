import type { z } from 'zod'
import { closestKey } from './did-you-mean.js'
import { fieldHint } from './field-hints.js'
import { formatPath, showValue, type SpecIssue } from './issue.js'

/** Options for {@link issuesFromZod}. */
export interface FromZodOptions {
  /** Quote offending values in messages. Off for secrets, which must never be echoed. */
  readonly showValues: boolean
  /** Use the hints registered on the schema's fields (default true). */
  readonly fieldHints?: boolean
}

type ZodIssue = z.core.$ZodIssue

/** Turns zod's issues into ours: a path, a stable code, a sentence and a hint. */
export function issuesFromZod(issues: readonly ZodIssue[], root: z.ZodType, options: FromZodOptions): SpecIssue[] {
  const out: SpecIssue[] = []
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(root, issue.path)
      for (const key of issue.keys) out.push(unknownKey([...issue.path, key] as (string | number)[], key, known))
    } else {
      const converted = convert(issue, options)
      const hint = options.fieldHints === false ? undefined : fieldHint(root, converted.path, converted.code)
      out.push(hint === undefined ? converted : { ...converted, hint })
    }
  }
  return out
}

function unknownKey(path: (string | number)[], key: string, known: readonly string[]): SpecIssue {
  const suggestion = closestKey(key, known)
  return {
    path,
    code: 'unknown_key',
    message: `${formatPath(path)} is not a known field.`,
    hint:
      suggestion !== undefined
        ? `did you mean "${suggestion}"?`
        : known.length > 0
          ? `known fields here: ${known.join(', ')}.`
          : 'remove it.',
  }
}

function convert(issue: ZodIssue, options: FromZodOptions): SpecIssue {
  const path = issue.path as (string | number)[]
  const where = path.length === 0 ? 'the spec' : formatPath(path)
  const value = options.showValues && 'input' in issue && issue.input !== undefined ? ` (got ${showValue(issue.input)})` : ''
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) {
        return {
          path,
          code: 'missing_field',
          message: `${where} is required.`,
          hint: `add ${where} (${describeExpected(issue.expected)}).`,
        }
      }
      const yamlWord = issue.expected === 'string' && typeof issue.input === 'boolean'
      return {
        path,
        code: 'invalid_type',
        message: `${capitalise(where)} must be ${describeExpected(issue.expected)}, not ${describeActual(issue.input)}${value}.`,
        hint: yamlWord
          ? `write ${where} as text; YAML reads bare yes, no, on, off, y and n as true/false, so put such words in quotes ("no").`
          : `write ${where} as ${describeExpected(issue.expected)}.`,
      }
    }
    case 'invalid_value':
      return {
        path,
        code: 'invalid_value',
        message: `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${value}.`,
        hint: `choose one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
      }
    case 'too_small':
    case 'too_big': {
      const custom = customMessage(issue.message)
      if (custom !== undefined) return { path, code: 'out_of_range', message: `${where} ${custom}${value}.`, hint: `change ${where}.` }
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`
      const unit = issue.origin === 'string' ? ' characters long' : issue.origin === 'array' ? ' entries long' : ''
      return {
        path,
        code: 'out_of_range',
        message: `${where} must be ${bound}${unit}${value}.`,
        hint: `change ${where} to a value ${bound}.`,
      }
    }
    case 'invalid_format':
    case 'custom': {
      const custom = customMessage(issue.message) ?? 'has an invalid format'
      return { path, code: 'invalid_format', message: `${where} ${custom}${value}.`, hint: `fix ${where}.` }
    }
    case 'invalid_key': {
      const inner = issue.issues.map((i) => customMessage(i.message)).find((m) => m !== undefined)
      const key = String(path.at(-1))
      const parent = formatPath(path.slice(0, -1))
      return {
        path,
        code: 'invalid_key',
        message: `The key ${JSON.stringify(key)} in ${parent} ${inner ?? 'is not allowed'}.`,
        hint: `rename or remove the key ${JSON.stringify(key)}.`,
      }
    }
    case 'invalid_union':
      return {
        path,
        code: 'invalid_type',
        message: `${where} does not match any allowed form${value}.`,
        hint: 'see the reference for the allowed forms.',
      }
    default:
      return { path, code: 'invalid_value', message: `${where} is invalid: ${issue.message}${value}.`, hint: `fix ${where}.` }
  }
}

/** Upper-cases the first letter of a sentence that starts with words (not with a field path). */
function capitalise(where: string): string {
  return where === 'the spec' ? 'The spec' : where
}

/** Our schemas phrase their errors as "must ..."; zod's defaults start with "Invalid"/"Too". */
function customMessage(message: string): string | undefined {
  return message.startsWith('must ') ? message : undefined
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a mapping (key: value pairs)'
    case 'array':
      return 'a list'
    case 'string':
      return 'text'
    case 'number':
      return 'a number'
    case 'int':
      return 'a whole number'
    case 'boolean':
      return 'true or false'
    default:
      return `a ${expected}`
  }
}

function describeActual(input: unknown): string {
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'a list'
  if (typeof input === 'object') return 'a mapping'
  if (typeof input === 'string') return 'text'
  if (typeof input === 'number') return Number.isInteger(input) ? 'a whole number' : 'a number'
  if (typeof input === 'boolean') return 'true/false'
  return typeof input
}

/** The keys an object schema at `path` accepts (for "did you mean" hints). */
export function knownKeysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: unknown = root
  for (const part of path) {
    node = unwrap(node)
    const def = (node as { _zod?: { def?: Record<string, unknown> } })._zod?.def
    if (def === undefined) return []
    if (def['type'] === 'object') node = (def['shape'] as Record<string, unknown>)[String(part)]
    else if (def['type'] === 'array') node = def['element']
    else if (def['type'] === 'record') node = def['valueType']
    else return []
  }
  const def = (unwrap(node) as { _zod?: { def?: Record<string, unknown> } })?._zod?.def
  return def?.['type'] === 'object' ? Object.keys(def['shape'] as object) : []
}

function unwrap(node: unknown): unknown {
  let current = node
  for (let i = 0; i < 10; i++) {
    const def = (current as { _zod?: { def?: Record<string, unknown> } })?._zod?.def
    if (def === undefined) return current
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch'].includes(def['type'] as string)) {
      current = def['innerType']
    } else if (def['type'] === 'pipe') {
      current = def['in']
    } else {
      return current
    }
  }
  return current
}
