import type { IssuePath } from '../errors/issue.js'
import { HOMESERVER_OVERRIDABLE_KEYS } from '../synapse/overridable-keys.js'
import { OWNERSHIP_TREES, type OwnershipEntries } from './_ownership-trees.js'

/** The spec sections that carry an `extraConfig` escape hatch. */
export type ExtraConfigSection = 'synapse' | 'livekit' | 'elementWeb'

/**
 * Who owns a place in an upstream file, as `extraConfig` sees it:
 * - `value`: the SDK renders it whole (a scalar, a list, a map whose keys it derives); refused.
 * - `map`: the SDK renders some keys of this mapping (`keys`); any other key is the user's.
 * - `append`: a list the SDK renders; the user's items are added after the rendered ones.
 * - `override`: defaults the SDK renders with no typed field; the user's leaves replace ours.
 */
export type OwnedNode =
  | { readonly kind: 'value' }
  | { readonly kind: 'map'; readonly keys: ReadonlyMap<string, OwnedNode> }
  | { readonly kind: 'append' }
  | { readonly kind: 'override' }

/**
 * Decisions the output schemas cannot express: which rendered lists take appended items,
 * which rendered maps (zod records) are partly the user's, and which modelled keys stay whole.
 * Paths are dotted; everything else is derived from the strict output schema.
 */
export interface OwnershipPolicy {
  /** Lists whose rendered items stay first and the user's follow (see docs/extra-config.md). */
  readonly append: readonly string[]
  /** Defaults without a typed field: the user's leaves replace ours. */
  readonly override: readonly string[]
  /** Records (maps keyed by name) of which the SDK renders only these entries. */
  readonly entries: Readonly<Record<string, readonly string[]>>
  /** Mappings the SDK owns whole although their shape would allow more keys, with the reason. */
  readonly whole: Readonly<Record<string, string>>
}

export const POLICIES: Readonly<Record<ExtraConfigSection, OwnershipPolicy>> = {
  synapse: {
    // A metrics or replication listener, another key notary, more blocked ranges: adding
    // them never weakens what the SDK rendered.
    append: ['listeners', 'trusted_key_servers', 'url_preview_ip_range_blacklist'],
    override: HOMESERVER_OVERRIDABLE_KEYS,
    entries: {},
    whole: {
      // Standalone nginx serves the client well-known as a static file, so other keys here
      // would reach clients in one mode and not the other.
      extra_well_known_client_content:
        'the client well-known is served by nginx from a file messenger-stack renders in standalone mode, so keys added here would not reach clients',
    },
  },
  livekit: { append: [], override: [], entries: {}, whole: {} },
  elementWeb: {
    append: ['room_directory.servers'],
    override: [],
    entries: {
      features: ['feature_element_call_video_rooms', 'feature_group_calls'],
      setting_defaults: ['UIFeature.voip'],
    },
    whole: {},
  },
}

const VALUE: OwnedNode = { kind: 'value' }
const APPEND: OwnedNode = { kind: 'append' }
const OVERRIDE: OwnedNode = { kind: 'override' }

function nodeOf(entry: OwnershipEntries[number][1]): OwnedNode {
  if (entry === 'value') return VALUE
  if (entry === 'append') return APPEND
  if (entry === 'override') return OVERRIDE
  return { kind: 'map', keys: new Map(entry.map(([key, child]) => [key, nodeOf(child)])) }
}

const TREES = new Map<ExtraConfigSection, OwnedNode & { kind: 'map' }>()

/**
 * The ownership tree of one upstream file: derived from its strict output schema (every key
 * the SDK models is owned), refined by the section's policy. The derivation runs in
 * `pnpm generate` (see `_ownership-derive.ts`), so that rendering needs no zod at run time;
 * a staleness test compares the two. Built once per section.
 */
export function ownershipTree(section: ExtraConfigSection): OwnedNode & { kind: 'map' } {
  const cached = TREES.get(section)
  if (cached !== undefined) return cached
  const tree = nodeOf(OWNERSHIP_TREES[section]) as OwnedNode & { kind: 'map' }
  TREES.set(section, tree)
  return tree
}

/** The reason a modelled mapping stays whole, when the section's policy gives one. */
export function wholeReason(section: ExtraConfigSection, path: IssuePath): string | undefined {
  return POLICIES[section].whole[path.join('.')]
}

/**
 * Who owns `path` (keys and list indexes) of an upstream file: `'sdk'` for a leaf or list
 * the SDK renders, `'user'` for a place only `extraConfig` fills, `'shared'` for a mapping
 * both fill, `'override'` for a default the user may replace, and `'append'` for a rendered
 * list (indexes past the rendered items are the user's).
 *
 * @example
 * extraConfigOwner('synapse', ['caches', 'global_factor'])   // 'sdk'
 * extraConfigOwner('synapse', ['caches', 'per_cache_factors']) // 'user'
 */
export function extraConfigOwner(section: ExtraConfigSection, path: IssuePath): 'sdk' | 'user' | 'shared' | 'override' | 'append' {
  let node: OwnedNode = ownershipTree(section)
  for (const part of path) {
    if (node.kind !== 'map') break
    const child = typeof part === 'string' ? node.keys.get(part) : undefined
    if (child === undefined) return 'user'
    node = child
  }
  return node.kind === 'value' ? 'sdk' : node.kind === 'map' ? 'shared' : node.kind
}
