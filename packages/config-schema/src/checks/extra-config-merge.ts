import { SpecError } from '../errors/issue.js'
import { sortKeysDeep } from '../formats/json.js'
import { type ExtraConfigSection, type OwnedNode, ownershipTree } from './extra-config-ownership.js'
import { extraConfigStructureIssues } from './extra-config.js'

type Mapping = Record<string, unknown>
const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value)

/** Sets a key so that even `__proto__` stays a plain key; plain assignment otherwise, which is much faster. */
function put(target: Mapping, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}

/** Our keys in our order, then the user's other keys sorted; `pick` decides each shared key. */
function mergeMappings(ours: Mapping, theirs: Mapping, pick: (key: string, ours: unknown, theirs: unknown) => unknown): Mapping {
  const merged: Mapping = {}
  for (const key of Object.keys(ours)) {
    const value = Object.hasOwn(theirs, key) && theirs[key] !== undefined ? pick(key, ours[key], theirs[key]) : ours[key]
    if (value !== undefined) put(merged, key, value)
  }
  for (const key of Object.keys(theirs).sort()) {
    if (Object.hasOwn(ours, key) || theirs[key] === undefined) continue
    put(merged, key, sortKeysDeep(theirs[key]))
  }
  return merged
}

/** Defaults the user may replace: their leaves win, ours stay where they wrote none. */
function override(ours: unknown, theirs: unknown): unknown {
  if (!isMapping(ours) || !isMapping(theirs)) return sortKeysDeep(theirs)
  return mergeMappings(ours, theirs, (_key, a, b) => override(a, b))
}

function mergeNode(node: OwnedNode | undefined, ours: unknown, theirs: unknown): unknown {
  // Nothing rendered here (or a place only the user fills): validation left no owned leaf in theirs.
  if (ours === undefined || node === undefined) return sortKeysDeep(theirs)
  switch (node.kind) {
    case 'append':
      return [...(ours as unknown[]), ...sortKeysDeep(theirs as unknown[])]
    case 'override':
      return override(ours, theirs)
    case 'map':
      return mergeMappings(ours as Mapping, theirs as Mapping, (key, a, b) => mergeNode(node.keys.get(key), a, b))
    default:
      // Unreachable after validation: owned values are refused.
      return ours
  }
}

/**
 * Merges an `extraConfig` map into a rendered model, leaf by leaf: every place the SDK
 * renders keeps its value and position; the user's keys inside a mapping the SDK renders in
 * part follow ours, sorted; items of an appendable list (Synapse `listeners`, ...) follow the
 * rendered items; the user's leaves replace our defaults only where a default is overridable
 * (`rc_login`, `rc_registration`). Every user map is key-sorted, so the output does not depend
 * on the input's key order. With an empty map, the model itself is returned.
 *
 * @throws {SpecError} when the map sets a place the SDK owns (a spec that skipped parsing).
 * @example
 * mergeExtraConfig('synapse', homeserverModel(spec), { caches: { per_cache_factors: { get_users_who_share_room_with_user: 2 } } })
 */
export function mergeExtraConfig(
  section: ExtraConfigSection,
  model: object,
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  // Nothing to merge (most specs): the model itself. The merge would copy it only to leave out
  // its undefined members, which every printer leaves out too (YAML, JSON).
  if (Object.keys(extra).length === 0) return model as Mapping
  const issues = extraConfigStructureIssues(section, extra)
  if (issues.length > 0) throw new SpecError(issues)
  return mergeNode(ownershipTree(section), model, extra) as Mapping
}
