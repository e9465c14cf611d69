/**
 * Values derived from a spec, computed once per render instead of once per use. A bundle's
 * renderers ask for the same derivations (`deriveValues`, `synapseWorkers`, `workloads`, the
 * route tables...) dozens of times; inside {@link withRenderMemo} each is computed once for
 * that spec object. The memo lives exactly as long as the synchronous render: nothing is
 * kept between calls, so a spec its owner changes afterwards renders afresh, and concurrent
 * tenants share nothing. Outside a render, or for another object (a variant of the spec),
 * every derivation is computed as before. Parsing a spec uses it too, for its cross-field
 * rules and warnings, which ask for the same derivations.
 */
interface RenderMemo {
  readonly spec: object
  readonly values: Map<(spec: never) => unknown, unknown>
  /** Mutable tables of this render, by the function that made each (see {@link renderTable}). */
  tables?: Map<() => unknown, unknown>
}

let current: RenderMemo | undefined

/**
 * Runs a synchronous render of `spec` with the memo on. Nested calls join the outer render's
 * memo. Memoised values are frozen, so a caller that changed one would throw instead of
 * changing what the next renderer sees.
 *
 * @example
 * return withRenderMemo(spec, () => files.map((render) => render(spec)))
 */
export function withRenderMemo<T>(spec: object, render: () => T): T {
  if (current !== undefined) return render()
  current = { spec, values: new Map() }
  try {
    return render()
  } finally {
    current = undefined
  }
}

/** `compute(spec)`, once per render of `spec` (see {@link withRenderMemo}); `compute` is the memo key. */
export function memoised<S extends object, R>(spec: S, compute: (spec: S) => R): R {
  const memo = current
  if (memo === undefined || memo.spec !== spec) return compute(spec)
  // One lookup on the hot path: no derivation memoises `undefined` (has() only then).
  const known = memo.values.get(compute)
  if (known !== undefined || memo.values.has(compute)) return known as R
  const value = compute(spec)
  memo.values.set(compute, typeof value === 'object' && value !== null ? Object.freeze(value) : value)
  return value
}

/**
 * Whether a render of this very spec object is under way (see {@link withRenderMemo}): a
 * derivation may then answer from a memoised one that holds its answer (one service's
 * workloads among all of them) instead of computing it again.
 */
export function renderingSpec(spec: object): boolean {
  return current !== undefined && current.spec === spec
}

/**
 * A mutable table that lives as long as the current render, made by `create` on its first use
 * in the render (`create` is its key), or undefined outside a render. For what a printer or
 * renderer fills as the render goes, such as the YAML printer's printed sub-trees: a bundle prints
 * the same sub-trees and long texts many times, and looking one up costs less than
 * printing it again. Unlike memoised values it is not frozen, so only the module that owns
 * `create` may write to it, and what it holds must depend on nothing but the render's spec (a
 * caller that depends on the spec checks {@link renderingSpec} first). It goes with the render.
 */
export function renderTable<T>(create: () => T): T | undefined {
  const memo = current
  if (memo === undefined) return undefined
  if (memo.tables === undefined) memo.tables = new Map()
  let table = memo.tables.get(create) as T | undefined
  if (table === undefined) {
    table = create()
    memo.tables.set(create, table)
  }
  return table
}
