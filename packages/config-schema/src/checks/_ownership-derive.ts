import type { z } from 'zod'
import { ElementConfigSchema } from '../element-web/config.js'
import { LiveKitConfigSchema } from '../livekit/config.js'
import { HomeserverConfigSchema } from '../synapse/homeserver.js'
import type { OwnershipEntries } from './_ownership-trees.js'
import { type ExtraConfigSection, type OwnershipPolicy, POLICIES } from './extra-config-ownership.js'

// Derives the ownership trees of `_ownership-trees.ts` from the strict output schemas. Used by
// `pnpm generate` and the staleness test only: renderers read the generated trees, so that
// importing a renderer does not pull zod and every output schema into a bundle.

const SCHEMAS: Readonly<Record<ExtraConfigSection, z.ZodType>> = {
  synapse: HomeserverConfigSchema,
  livekit: LiveKitConfigSchema,
  elementWeb: ElementConfigSchema,
}

type Def = Readonly<Record<string, unknown>>
type Entry = OwnershipEntries[number][1]
const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional', 'catch'])

function defOf(schema: unknown): Def {
  let def = (schema as { _zod: { def: Def } })._zod.def
  while (WRAPPERS.has(def['type'] as string) || def['type'] === 'pipe') {
    const inner = def['type'] === 'pipe' ? def['in'] : def['innerType']
    def = (inner as { _zod: { def: Def } })._zod.def
  }
  return def
}

function entryOf(schema: unknown, path: string, policy: OwnershipPolicy): Entry {
  if (policy.override.includes(path)) return 'override'
  if (Object.hasOwn(policy.whole, path)) return 'value'
  const def = defOf(schema)
  switch (def['type']) {
    case 'object': {
      const shape = def['shape'] as Readonly<Record<string, unknown>>
      return Object.keys(shape).map((key) => [key, entryOf(shape[key], path === '' ? key : `${path}.${key}`, policy)] as const)
    }
    case 'record': {
      const entries = policy.entries[path]
      return entries === undefined ? 'value' : entries.map((key) => [key, 'value'] as const)
    }
    case 'array':
      return policy.append.includes(path) ? 'append' : 'value'
    default:
      return 'value'
  }
}

/** The ownership entries of each section, derived from its strict output schema and policy. */
export function deriveOwnershipTrees(): Record<ExtraConfigSection, OwnershipEntries> {
  const sections = Object.keys(SCHEMAS) as ExtraConfigSection[]
  return Object.fromEntries(
    sections.map((section) => [section, entryOf(SCHEMAS[section], '', POLICIES[section]) as OwnershipEntries]),
  ) as Record<ExtraConfigSection, OwnershipEntries>
}

/** The text of `_ownership-trees.ts`. */
export function ownershipTreesModule(banner: string): string {
  const trees = deriveOwnershipTrees()
  const lines = [
    banner,
    "import type { ExtraConfigSection } from './extra-config-ownership.js'",
    '',
    '/** Who owns each key of a mapping: a leaf kind, or the entries of a mapping the SDK renders in part. */',
    "export type OwnershipEntries = ReadonlyArray<readonly [string, 'value' | 'append' | 'override' | OwnershipEntries]>",
    '',
    '/** The ownership tree of each `extraConfig` section (see extra-config-ownership.ts). */',
    'export const OWNERSHIP_TREES: Readonly<Record<ExtraConfigSection, OwnershipEntries>> = {',
    ...Object.entries(trees).map(([section, entries]) => `  ${section}: ${JSON.stringify(entries)},`),
    '}',
    '',
  ]
  return lines.join('\n')
}
