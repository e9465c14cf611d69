// extraConfig merges leaf by leaf: whatever validation accepts renders to files in which every
// place the SDK renders keeps its value, every leaf the user wrote appears, and the lenient
// upstream schemas still accept the result. Whatever sets an SDK-owned leaf is refused.
import {
  extraConfigOwner,
  LIVEKIT_SECTION_KEYS,
  ownershipTree,
  safeParseDeploymentSpec,
  validateElementConfig,
  validateHomeserver,
  validateLiveKitConfig,
  type DeploymentSpec,
  type ExtraConfigSection,
  type OwnedNode,
} from '@messenger-stack/config-schema'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderElementConfig, renderHomeserver, renderLiveKit } from '../src/index.js'
import { exampleInput, FRAGMENTS, readYaml } from './_renderer-fixtures.js'

type Path = (string | number)[]
type Mapping = Record<string, unknown>
const isMapping = (value: unknown): value is Mapping => value !== null && typeof value === 'object' && !Array.isArray(value)

const RENDER: Record<ExtraConfigSection, (spec: DeploymentSpec) => unknown> = {
  synapse: (spec) => readYaml(renderHomeserver(spec)),
  livekit: (spec) => readYaml(renderLiveKit(spec)),
  elementWeb: (spec) => JSON.parse(renderElementConfig(spec)),
}

const VALIDATE: Record<ExtraConfigSection, (spec: DeploymentSpec) => { success: boolean }> = {
  synapse: (spec) => validateHomeserver(renderHomeserver(spec)),
  livekit: (spec) => validateLiveKitConfig(renderLiveKit(spec)),
  elementWeb: (spec) => validateElementConfig(renderElementConfig(spec)),
}

/** Leaves of a rendered document: scalars and whole lists, by path. */
function leaves(value: unknown, path: Path = []): [Path, unknown][] {
  if (!isMapping(value)) return [[path, value]]
  return Object.keys(value).flatMap((key) => leaves(value[key], [...path, key]))
}

function at(value: unknown, path: Path): unknown {
  let node = value
  for (const part of path) node = isMapping(node) || Array.isArray(node) ? (node as Mapping)[part as string] : undefined
  return node
}

/** Mappings the SDK renders in part, by path: where a user key may go. */
function sharedMaps(node: OwnedNode, path: Path = []): { path: Path; owned: string[] }[] {
  if (node.kind !== 'map') return []
  return [{ path, owned: [...node.keys.keys()] }, ...[...node.keys.entries()].flatMap(([key, child]) => sharedMaps(child, [...path, key]))]
}

const SCALAR = fc.oneof(fc.boolean(), fc.integer({ min: 0, max: 100_000 }), fc.constantFrom('x', 'a: b', '#c', '{d}', "e'f", '007'))

interface Assignment {
  readonly path: Path
  readonly value: unknown
  /** An item appended to a list the SDK renders. */
  readonly append?: boolean
}

const assign = (path: fc.Arbitrary<Path>, value: fc.Arbitrary<unknown>, append = false): fc.Arbitrary<Assignment> =>
  fc.record({ path, value }).map((item) => (append ? { ...item, append } : item))

/** Keys a user might add inside the mapping at `path` (LiveKit: only keys it knows there). */
function userKeys(section: ExtraConfigSection, path: Path, owned: readonly string[]): readonly string[] {
  if (section !== 'livekit') return path.length === 0 ? ['x_top'] : ['x_a', 'x_b', 'Mixed.Key']
  if (path.length === 0) return ['region', 'development']
  const known: readonly string[] = LIVEKIT_SECTION_KEYS[path[0] as keyof typeof LIVEKIT_SECTION_KEYS] ?? []
  return path.length === 1 ? known.filter((key) => !owned.includes(key)) : []
}

/** One assignment `path = value` a user might write: on an owned leaf, in a shared map, or appended to a list. */
function assignments(section: ExtraConfigSection, baseline: unknown): fc.Arbitrary<Assignment> {
  const inMaps = sharedMaps(ownershipTree(section)).flatMap(({ path, owned }) => {
    const keys = userKeys(section, path, owned)
    return keys.length === 0
      ? []
      : [
          assign(
            fc.constantFrom(...keys).map((key): Path => [...path, key]),
            SCALAR,
          ),
        ]
  })
  const appended =
    section === 'synapse'
      ? [
          assign(
            fc.constant(['listeners']),
            fc.integer({ min: 9000, max: 9999 }).map((port) => ({ port, type: 'metrics' })),
            true,
          ),
          assign(fc.constant(['trusted_key_servers']), fc.constant({ server_name: 'keys.example.net' }), true),
        ]
      : section === 'elementWeb'
        ? [assign(fc.constant(['room_directory', 'servers']), fc.constant('matrix.org'), true)]
        : []
  const owned = leaves(baseline)
    .filter(([path]) => extraConfigOwner(section, path) === 'sdk')
    .map(([path]) => path)
  const onOwned = owned.length > 0 ? [assign(fc.constantFrom(...owned), SCALAR)] : []
  return fc.oneof(...inMaps, ...appended, ...onOwned)
}

/** Builds the extraConfig map of some assignments; a later assignment to a taken place is dropped. */
function build(list: Assignment[]): { extra: Mapping; applied: Assignment[] } {
  const extra: Mapping = {}
  const applied: Assignment[] = []
  for (const item of list) {
    let node = extra
    let ok = true
    for (const part of item.path.slice(0, -1)) {
      const next = node[part as string]
      if (next === undefined) node[part as string] = {}
      else if (!isMapping(next)) ok = false
      if (!ok) break
      node = node[part as string] as Mapping
    }
    const last = item.path.at(-1) as string
    if (!ok) continue
    if (item.append === true) {
      if (node[last] === undefined) node[last] = []
      const items = node[last] as unknown[]
      // Listener ports must differ from each other; keep the first of each.
      if (!Array.isArray(items) || items.some((other) => JSON.stringify(other) === JSON.stringify(item.value))) continue
      items.push(item.value)
    } else {
      if (Object.hasOwn(node, last)) continue
      node[last] = item.value
    }
    applied.push(item)
  }
  return { extra, applied }
}

const SECTIONS: ExtraConfigSection[] = ['synapse', 'livekit', 'elementWeb']
const BASES: Record<string, Mapping> = {
  standalone: exampleInput('standalone'),
  microservice: exampleInput('microservice'),
  'no-calls': { ...exampleInput('standalone'), ...FRAGMENTS.noCalls, livekit: { ...FRAGMENTS.noCalls.livekit } },
}

describe.each(Object.keys(BASES))('extraConfig on %s', (name) => {
  const input = BASES[name]!
  const baseSpec = safeParseDeploymentSpec(input)
  if (!baseSpec.success) throw new Error(`${name} does not parse`)

  it.each(SECTIONS)(
    '%s: accepted means owned leaves unchanged, user leaves present, lenient schema passes; owned leaves refused',
    (section) => {
      const baseline = RENDER[section](baseSpec.spec)
      let accepted = 0
      fc.assert(
        fc.property(fc.array(assignments(section, baseline), { minLength: 1, maxLength: 6 }), (list) => {
          const { extra, applied } = build(list)
          const sectionInput = (input[section] ?? {}) as Mapping
          const result = safeParseDeploymentSpec({ ...input, [section]: { ...sectionInput, extraConfig: extra } })
          const setsOwned = applied.some((item) => item.append !== true && extraConfigOwner(section, item.path) === 'sdk')
          if (setsOwned) {
            expect(result.success).toBe(false)
            return
          }
          // Refused for another reason (a value of a type upstream does not read): nothing to check.
          if (!result.success) return
          accepted++
          const merged = RENDER[section](result.spec)
          for (const [path, value] of leaves(baseline)) {
            const owner = extraConfigOwner(section, path)
            if (owner === 'override') continue
            const now = at(merged, path)
            if (owner === 'append') expect((now as unknown[]).slice(0, (value as unknown[]).length)).toEqual(value)
            else expect(now).toEqual(value)
          }
          for (const item of applied) {
            const now = at(merged, item.path)
            if (item.append === true)
              expect((now as unknown[]).slice((at(baseline, item.path) as unknown[] | undefined)?.length ?? 0)).toContainEqual(item.value)
            else expect(now).toEqual(item.value)
          }
          expect(VALIDATE[section](result.spec).success).toBe(true)
        }),
        { numRuns: 60, seed: 4242 },
      )
      // Not vacuous: most runs render.
      expect(accepted).toBeGreaterThan(15)
    },
  )
})

describe('the ownership tree covers every place the renderers fill', () => {
  const variants = [
    {},
    FRAGMENTS.noCalls,
    FRAGMENTS.noFederation,
    FRAGMENTS.noPresence,
    FRAGMENTS.urlPreviews,
    FRAGMENTS.turnTls,
    FRAGMENTS.turnOff,
    FRAGMENTS.delegated,
  ]
  it.each(variants.map((fragment, index) => [index, fragment] as const))(
    "variant %i: no rendered leaf is the user's",
    (_index, fragment) => {
      const spec = safeParseDeploymentSpec({ ...exampleInput('standalone'), ...fragment })
      if (!spec.success) throw new Error('variant does not parse')
      for (const section of SECTIONS) {
        for (const [path] of leaves(RENDER[section](spec.spec)))
          expect([section, path, extraConfigOwner(section, path)]).not.toContain('user')
      }
    },
  )
})
