import type { DeploymentSpec } from '@messenger-stack/config-schema'

/**
 * The sub-trees the manifests of one render repeat, each built once and frozen all the way down:
 * a workload's labels and selector (on its ConfigMaps, Services, controller and NetworkPolicy),
 * the security contexts, memory resources, the policies' pod selectors. The YAML printer prints
 * a frozen sub-tree once per indentation per render and reuses its text (see `toYaml`), and the
 * render allocates fewer objects. Parts are shared only while {@link withSharedParts} runs for
 * the spec (one call of `kubernetesManifestFiles`, which builds every object it returns inside
 * it); any other call builds its own part, as the builders did before.
 */
let scope: { readonly spec: DeploymentSpec; readonly tables: Map<PartTable, Map<PartKey, object>> } | undefined

/** One kind of shared part (labels, selectors...): a module's table of them, by {@link PartKey}. */
export interface PartTable {
  /** What the parts are, for a reader of the code. */
  readonly parts: string
}

/**
 * What tells two parts of one table apart within one spec: a workload (the object), a memory
 * size. An object or number the render already holds, or a string it keeps, cheap to look up (a
 * key built for each look-up is hashed each time: that alone cost more than the printing it saved).
 */
export type PartKey = string | number | boolean | object

/** Runs `build` with the sub-trees of `spec` shared (see {@link sharedPart}). */
export function withSharedParts<T>(spec: DeploymentSpec, build: () => T): T {
  const outer = scope
  scope = { spec, tables: new Map() }
  try {
    return build()
  } finally {
    scope = outer
  }
}

/**
 * The part `key` of `table` in the manifests being built for `spec`: built by `build` the first
 * time and frozen all the way down, the same object afterwards. Outside {@link withSharedParts}
 * (or for another spec object) a new part each time (frozen only if `build` freezes it).
 */
export function sharedPart<T extends object>(spec: DeploymentSpec, table: PartTable, key: PartKey, build: () => T): T {
  const current = scope
  if (current === undefined || current.spec !== spec) return build()
  let parts = current.tables.get(table)
  if (parts === undefined) {
    parts = new Map()
    current.tables.set(table, parts)
  }
  const known = parts.get(key)
  if (known !== undefined) return known as T
  const part = deepFreeze(build())
  parts.set(key, part)
  return part
}

/** Freezes plain data and everything in it (what is frozen already is left as it is, members included). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value
  if (Array.isArray(value)) for (let index = 0; index < value.length; index++) deepFreeze(value[index])
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  return Object.freeze(value)
}
