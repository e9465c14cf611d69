import { CONTAINER_PORTS } from '../deployment/layout.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { workersEnabled } from '../workers/pools.js'
import { closestKey } from '../errors/did-you-mean.js'
import { formatPath, showValue, type IssuePath, type SpecIssue } from '../errors/issue.js'
import { type ExtraConfigSection, type OwnedNode, ownershipTree, wholeReason } from './extra-config-ownership.js'
import { SECTION_RULES, typedFieldFor } from './extra-config-rules.js'
import { secretValueIssues } from './secret-values.js'

export type { ExtraConfigSection } from './extra-config-ownership.js'

const toSnakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
const isMapping = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/** How a place inside `extraConfig` is named in messages: a top-level key quoted, a nested one as a path. */
const shownAt = (inner: IssuePath) => (inner.length === 1 ? JSON.stringify(inner[0]) : formatPath(inner))

function ownedIssue(section: ExtraConfigSection, inner: IssuePath): SpecIssue {
  const rules = SECTION_RULES[section]
  const where = `${section}.extraConfig`
  const shown = shownAt(inner)
  const path = [section, 'extraConfig', ...inner]
  const reason = wholeReason(section, inner) ?? rules.reasons[inner.join('.')]
  if (reason !== undefined)
    return { path, code: 'owned_key', message: `${where} sets ${shown}, but ${reason}.`, hint: `remove ${shown} from ${where}.` }
  const field = typedFieldFor(section, inner)
  return {
    path,
    code: 'owned_key',
    message:
      field === undefined
        ? `${where} sets ${shown}, which messenger-stack renders itself in ${rules.file} so that coupled files stay consistent.`
        : `${where} sets ${shown}, which messenger-stack renders itself in ${rules.file}; use ${field} instead.`,
    hint: field === undefined ? `remove ${shown} from ${where}.` : `remove ${shown} from ${where} and set ${field}.`,
  }
}

function shapeIssue(
  section: ExtraConfigSection,
  inner: IssuePath,
  node: OwnedNode & { kind: 'map' | 'append' },
  value: unknown,
): SpecIssue {
  const rules = SECTION_RULES[section]
  const where = `${section}.extraConfig`
  const shown = shownAt(inner)
  const path = [section, 'extraConfig', ...inner]
  if (node.kind === 'append') {
    return {
      path,
      code: 'owned_key',
      message: `${where} sets ${shown} to ${showValue(value)}, but ${shown} is a list messenger-stack renders in ${rules.file}; the items given here are added after the rendered ones.`,
      hint: `write ${shown} as a list of the items to add.`,
    }
  }
  const owned = [...node.keys.keys()]
  return {
    path,
    code: 'owned_key',
    message: `${where} sets ${shown} to ${showValue(value)}, but messenger-stack renders keys inside it in ${rules.file} (${owned.join(', ')}); only the other keys inside it are yours.`,
    hint: `write ${shown} as a mapping of the keys to add, without ${owned.join(', ')}.`,
  }
}

function unknownIssue(section: ExtraConfigSection, inner: IssuePath, known: readonly string[]): SpecIssue {
  const key = String(inner.at(-1))
  const shown = shownAt(inner)
  const suggestion = closestKey(key, known)
  return {
    path: [section, 'extraConfig', ...inner],
    code: 'unknown_upstream_key',
    message: `${section}.extraConfig sets ${shown}, which ${SECTION_RULES[section].file} does not know; LiveKit refuses to start on unknown keys.`,
    hint:
      suggestion === undefined ? `remove ${shown}; see LiveKit's config reference for the known keys.` : `did you mean "${suggestion}"?`,
  }
}

function topLevelIssue(section: ExtraConfigSection, key: string): SpecIssue | undefined {
  const rules = SECTION_RULES[section]
  const where = `${section}.extraConfig`
  const shown = JSON.stringify(key)
  const path = [section, 'extraConfig', key]
  const reason = rules.reserved[key]
  if (reason !== undefined) {
    return { path, code: 'owned_key', message: `${where} sets ${shown}, but ${reason}.`, hint: `remove ${shown} from ${where}.` }
  }
  if (rules.snakeCase && !/^[a-z][a-z0-9_]*$/.test(key)) {
    return {
      path,
      code: 'unknown_upstream_key',
      message: `${where} key ${shown} is not in snake_case, the only spelling messenger-stack writes into ${rules.file}.`,
      hint: /^[a-z][a-zA-Z0-9_]*$/.test(key) ? `write it as "${toSnakeCase(key)}".` : 'use the upstream key name in snake_case.',
    }
  }
  return undefined
}

/** Walks the user's value at `inner` against what the SDK owns there. */
function walk(section: ExtraConfigSection, node: OwnedNode, value: unknown, inner: IssuePath, out: SpecIssue[]): void {
  if (node.kind === 'override') return
  if (node.kind === 'value') {
    out.push(ownedIssue(section, inner))
    return
  }
  if (node.kind === 'append') {
    if (!Array.isArray(value)) out.push(shapeIssue(section, inner, node, value))
    return
  }
  if (!isMapping(value)) {
    out.push(shapeIssue(section, inner, node, value))
    return
  }
  const known = SECTION_RULES[section].known[inner.join('.')]
  for (const key of Object.keys(value).sort()) {
    const child = node.keys.get(key)
    if (child !== undefined) walk(section, child, value[key], [...inner, key], out)
    else if (known !== undefined && !known.includes(key)) out.push(unknownIssue(section, [...inner, key], known))
  }
}

/**
 * The issues of one top-level key of an `extraConfig` map that need no schema: places the
 * SDK renders (leaf by leaf; see {@link ownershipTree}), reserved keys and keys upstream does
 * not know.
 */
export function extraConfigKeyIssues(section: ExtraConfigSection, key: string, value: unknown): SpecIssue[] {
  const top = topLevelIssue(section, key)
  if (top !== undefined) return [top]
  const issues: SpecIssue[] = []
  const node = ownershipTree(section).keys.get(key)
  const known = SECTION_RULES[section].known['']
  if (node !== undefined) walk(section, node, value, [key], issues)
  else if (known !== undefined && !known.includes(key)) issues.push(unknownIssue(section, [key], known))
  return issues
}

/**
 * What `extraConfig` may never set, checked without schemas (so renderers stay free of zod):
 * places the SDK renders, reserved and unknown keys, and secrets at any depth. Parsing a spec
 * also checks the types of modelled keys (`extraConfigIssues`).
 */
export function extraConfigStructureIssues(section: ExtraConfigSection, extra: Readonly<Record<string, unknown>>): SpecIssue[] {
  const issues = Object.keys(extra)
    .sort()
    .flatMap((key) => extraConfigKeyIssues(section, key, extra[key]))
  return [...issues, ...secretValueIssues(section, extra)]
}

/** Listeners added to `homeserver.yaml` need ports of their own. */
export function listenerPortIssues(spec: Pick<DeploymentSpec, 'synapse'>): SpecIssue[] {
  const listeners = spec.synapse.extraConfig['listeners']
  if (!Array.isArray(listeners)) return []
  const seen = new Map<unknown, string>([[spec.synapse.httpPort, 'synapse.httpPort (the listener messenger-stack renders)']])
  // With workers the main process also listens for replication.
  if (workersEnabled(spec))
    seen.set(CONTAINER_PORTS.synapseReplication, 'the replication listener messenger-stack renders for synapse.workers')
  const issues: SpecIssue[] = []
  for (const [index, listener] of listeners.entries()) {
    const port = isMapping(listener) ? listener['port'] : undefined
    if (typeof port !== 'number') continue
    const path = ['synapse', 'extraConfig', 'listeners', index, 'port']
    const other = seen.get(port)
    if (other !== undefined) {
      issues.push({
        path,
        code: 'port_clash',
        message: `${formatPath(path)} is ${port}, which ${other} already listens on; Synapse would fail to start.`,
        hint: 'give each listener its own port.',
      })
    } else seen.set(port, formatPath(path))
  }
  return issues
}
