import { usageError } from './_errors.js'

/** One flag of a command. */
export interface FlagSpec {
  /** Long name without dashes, such as `out`. */
  readonly name: string
  /** Boolean switches take no value; string flags take one (`--out dir` or `--out=dir`). */
  readonly type: 'boolean' | 'string'
  /** Placeholder shown in help, such as `DIR`. */
  readonly value?: string
  /** One line for `--help`. */
  readonly description: string
}

/** One positional argument of a command. */
export interface PositionalSpec {
  readonly name: string
  readonly required: boolean
  readonly description: string
}

/** Parsed command line of one command. */
export interface ParsedArgs {
  readonly positionals: readonly string[]
  readonly flags: Readonly<Record<string, string | boolean | undefined>>
}

/** Flags every command accepts. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'help', type: 'boolean', description: 'Show this help.' },
  { name: 'json', type: 'boolean', description: 'Print one JSON document on stdout ({ ok, files, issues }); logs go to stderr.' },
  { name: 'no-color', type: 'boolean', description: 'Never colour the output (also: NO_COLOR=1).' },
]

/**
 * Levenshtein distance of two short words (a flag or command name against the known ones).
 * The CLI keeps its own: config-schema's copy, for spec keys, is not part of its public API.
 */
function editDistance(a: string, b: string): number {
  let previousRow = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previousRow[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      row.push(Math.min(previousRow[j]! + 1, row[j - 1]! + 1, substitution))
    }
    previousRow = row
  }
  return previousRow[b.length]!
}

/** The closest candidate to `word` if it looks like a typo of it, for "did you mean". */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const score = candidate.startsWith(word) && word.length >= 2 ? 0.5 : editDistance(word, candidate)
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best !== undefined && bestScore <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined
}

/**
 * Parses the arguments after the command name: `--flag`, `--flag value`, `--flag=value`,
 * `-h`, and `--` to end flags. Unknown flags, missing values and extra positionals are
 * usage errors that name the command and suggest the closest flag.
 */
export function parseArgs(
  command: string,
  argv: readonly string[],
  flags: readonly FlagSpec[],
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const all = [...flags, ...COMMON_FLAGS]
  const byName = new Map(all.map((flag) => [flag.name, flag]))
  const values: Record<string, string | boolean | undefined> = {}
  const rest: string[] = []
  let onlyPositionals = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      rest.push(arg)
      continue
    }
    if (arg === '--') {
      onlyPositionals = true
      continue
    }
    if (arg === '-h') {
      values['help'] = true
      continue
    }
    if (!arg.startsWith('--')) {
      throw usageError(
        `Unknown flag ${arg} for \`${command}\`. Flags are spelled out, such as --help; see \`messenger-stack ${command} --help\`.`,
      )
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const spec = byName.get(name)
    if (spec === undefined) {
      const suggestion = didYouMean(
        name,
        all.map((f) => f.name),
      )
      throw usageError(
        `Unknown flag --${name} for \`${command}\`.${suggestion === undefined ? '' : ` Did you mean --${suggestion}?`} See \`messenger-stack ${command} --help\`.`,
      )
    }
    if (values[name] !== undefined) throw usageError(`--${name} is given twice.`)
    if (spec.type === 'boolean') {
      if (eq !== -1) throw usageError(`--${name} is a switch and takes no value.`)
      values[name] = true
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      throw usageError(`--${name} needs a value (${spec.value ?? 'VALUE'}).`)
    }
    if (value === '') throw usageError(`--${name} needs a non-empty value (${spec.value ?? 'VALUE'}).`)
    values[name] = value
  }
  if (values['help'] !== true) {
    const required = positionals.filter((p) => p.required).length
    if (rest.length < required) {
      const missing = positionals.slice(rest.length, required).map((p) => `<${p.name}>`)
      throw usageError(`\`${command}\` needs ${missing.join(' and ')}. See \`messenger-stack ${command} --help\`.`)
    }
    if (rest.length > positionals.length) {
      throw usageError(`Unexpected argument "${rest[positionals.length]}" for \`${command}\`. See \`messenger-stack ${command} --help\`.`)
    }
  }
  return { positionals: rest, flags: values }
}

/** A string flag's value, if given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name]
  return typeof value === 'string' ? value : undefined
}

/** An integer flag's value, if given; a usage error when it is not a whole number. */
export function intFlag(args: ParsedArgs, name: string): number | undefined {
  const value = stringFlag(args, name)
  if (value === undefined) return undefined
  if (!/^[0-9]{1,10}$/.test(value)) throw usageError(`--${name} must be a whole number, not "${value}".`)
  return Number.parseInt(value, 10)
}
