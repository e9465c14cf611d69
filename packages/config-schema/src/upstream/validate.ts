import type { z } from 'zod'
import { LenientElementConfigSchema, type LenientElementConfig } from '../element-web/config-lenient.js'
import { closestKey } from '../errors/did-you-mean.js'
import { issuesFromZod } from '../errors/from-zod.js'
import { formatPath, type IssuePath, type SpecIssue } from '../errors/issue.js'
import type { SafeResult } from '../errors/safe-result.js'
import { LenientLiveKitConfigSchema, type LenientLiveKitConfig } from '../livekit/config-lenient.js'
import { LIVEKIT_TOP_LEVEL_KEYS } from '../livekit/keys.js'
import { LenientHomeserverConfigSchema, type LenientHomeserverConfig } from '../synapse/homeserver-lenient.js'
import { readJsonSource } from '../_json-source.js'
import { locate, type PositionMap, type SourceReadResult } from '../_source-positions.js'
import { readYamlSource } from '../_yaml-source.js'
import { notModelledPaths } from './not-modelled.js'
import { UPSTREAM_VERSIONS } from './versions.js'

/** A key of an upstream file that messenger-stack does not model: allowed, typed `unknown`. */
export interface NotModelledKey {
  /** Path of the key, such as `['listeners', 0, 'tls']`. */
  readonly path: IssuePath
  /** 1-based line of the key in the file. */
  readonly line: number
  /** 1-based column of the key in the file. */
  readonly column: number
}

/** What {@link validateHomeserver} and its siblings return. */
export type UpstreamValidationResult<T> = {
  /** The file name the positions refer to. */
  readonly file: string
  /** The upstream release the schema was written against, such as "Synapse 1.163". */
  readonly upstream: string
  /** Keys the file sets that messenger-stack does not model (not errors), in document order. */
  readonly notModelled: readonly NotModelledKey[]
} & (
  | {
      readonly success: true
      /** The file's content, typed: the name every `safeX` result uses (see {@link SafeResult}). */
      readonly data: T
      /** The same object as `data`. */
      readonly config: T
      readonly issues: readonly []
    }
  | { readonly success: false; readonly issues: readonly SpecIssue[] }
)

interface Format<T> {
  readonly schema: z.ZodType<T>
  readonly upstream: string
  readonly read: (text: string, label: string) => SourceReadResult
  /** Problems the schema cannot express (LiveKit's own list of known keys). */
  readonly extraIssues?: (value: Readonly<Record<string, unknown>>) => SpecIssue[]
}

const KEY_CODES: ReadonlySet<SpecIssue['code']> = new Set(['unknown_key', 'invalid_key', 'duplicate_key', 'unknown_upstream_key'])

const byPosition = (a: { line?: number; column?: number }, b: { line?: number; column?: number }) =>
  (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)

function place(issue: SpecIssue, positions: PositionMap, file: string): SpecIssue {
  const { line, column } = locate(positions, issue.path, KEY_CODES.has(issue.code))
  return { ...issue, file, line, column }
}

function validateUpstream<T>(format: Format<T>, text: string, file: string): UpstreamValidationResult<T> {
  const base = { file, upstream: format.upstream }
  const read = format.read(text.startsWith('\uFEFF') ? text.slice(1) : text, file)
  if (!read.ok) {
    const issues = read.problems.map(
      (problem): SpecIssue => ({
        path: problem.path ?? [],
        code: problem.code,
        message: problem.message,
        hint: problem.hint,
        file,
        line: problem.position.line,
        column: problem.position.column,
      }),
    )
    return { ...base, success: false, issues: issues.sort(byPosition), notModelled: [] }
  }
  if (read.value === null || typeof read.value !== 'object' || Array.isArray(read.value)) {
    const issue: SpecIssue = {
      path: [],
      code: read.value === null ? 'missing_field' : 'invalid_type',
      message: `${file} ${read.value === null ? 'is empty' : 'must be a mapping of keys to values at the top level'}.`,
      hint: `start from the ${format.upstream} documentation of this file.`,
    }
    return { ...base, success: false, issues: [place(issue, read.positions, file)], notModelled: [] }
  }
  const value = read.value as Record<string, unknown>
  const extra = format.extraIssues?.(value) ?? []
  const rejected = new Set(extra.map((issue) => JSON.stringify(issue.path)))
  const notModelled = notModelledPaths(format.schema, value)
    .filter((path) => !rejected.has(JSON.stringify(path)))
    .map((path) => {
      const { line, column } = locate(read.positions, path, true)
      return { path, line, column }
    })
    .sort(byPosition)
  const parsed = format.schema.safeParse(value, { reportInput: true })
  const schemaIssues = parsed.success ? [] : issuesFromZod(parsed.error.issues, format.schema, { showValues: true, fieldHints: false })
  const issues = [...schemaIssues, ...extra].map((issue) => place(issue, read.positions, file)).sort(byPosition)
  if (parsed.success && issues.length === 0)
    return { ...base, success: true, data: parsed.data, config: parsed.data, issues: [], notModelled }
  return { ...base, success: false, issues, notModelled }
}

function unknownLiveKitKeys(value: Readonly<Record<string, unknown>>): SpecIssue[] {
  const known: readonly string[] = LIVEKIT_TOP_LEVEL_KEYS
  return Object.keys(value)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const suggestion = closestKey(key, known)
      return {
        path: [key],
        code: 'unknown_upstream_key' as const,
        message: `${formatPath([key])} is not a key of ${UPSTREAM_VERSIONS.livekit}, which refuses to start on unknown keys.`,
        hint: suggestion === undefined ? `remove ${JSON.stringify(key)}.` : `did you mean "${suggestion}"?`,
      }
    })
}

/**
 * Checks the text of any Synapse `homeserver.yaml` (YAML 1.1, as Synapse reads it) against
 * {@link LenientHomeserverConfigSchema}: issues carry file, line and column like spec errors;
 * keys messenger-stack does not model are listed in `notModelled`, not reported as errors.
 * Pure: no file access.
 *
 * @example
 * const result = validateHomeserver(readFileSync('homeserver.yaml', 'utf8'))
 * if (!result.success) console.error(formatIssues(result.issues, { color: false }))
 * for (const key of result.notModelled) console.log(`not modelled: ${formatPath(key.path)} (line ${key.line})`)
 */
export function validateHomeserver(text: string, fileName = 'homeserver.yaml'): UpstreamValidationResult<LenientHomeserverConfig> {
  return validateUpstream(
    { schema: LenientHomeserverConfigSchema, upstream: UPSTREAM_VERSIONS.synapse, read: readYamlSource },
    text,
    fileName,
  )
}

/**
 * Checks the text of any LiveKit server `config.yaml` against {@link LenientLiveKitConfigSchema}.
 * A top-level key LiveKit does not know is an error (LiveKit refuses to start); a known key
 * that messenger-stack does not model is listed in `notModelled`. Pure: no file access.
 *
 * @example
 * const result = validateLiveKitConfig(readFileSync('livekit.yaml', 'utf8'), 'livekit.yaml')
 */
export function validateLiveKitConfig(text: string, fileName = 'livekit.yaml'): UpstreamValidationResult<LenientLiveKitConfig> {
  return validateUpstream(
    { schema: LenientLiveKitConfigSchema, upstream: UPSTREAM_VERSIONS.livekit, read: readYamlSource, extraIssues: unknownLiveKitKeys },
    text,
    fileName,
  )
}

/**
 * Checks the text of any Element Web `config.json` (strict JSON, as browsers parse it; duplicate
 * keys refused) against {@link LenientElementConfigSchema}; keys messenger-stack does not model
 * are listed in `notModelled`. Pure: no file access.
 *
 * @example
 * const result = validateElementConfig(readFileSync('config.json', 'utf8'), 'config.json')
 */
export function validateElementConfig(text: string, fileName = 'config.json'): UpstreamValidationResult<LenientElementConfig> {
  return validateUpstream(
    { schema: LenientElementConfigSchema, upstream: UPSTREAM_VERSIONS.elementWeb, read: readJsonSource },
    text,
    fileName,
  )
}
