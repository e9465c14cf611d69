import type { z } from 'zod'
import type { DeploymentSpec } from '../deployment/spec.js'
import { lenientElementSchemas } from '../element-web/_config-lenient-schemas.js'
import { issuesFromZod } from '../errors/from-zod.js'
import type { SpecIssue } from '../errors/issue.js'
import { lenientLiveKitSchemas } from '../livekit/_config-lenient-schemas.js'
import { lenientHomeserverSchemas } from '../synapse/_homeserver-lenient-schemas.js'
import { extraConfigKeyIssues, listenerPortIssues } from './extra-config.js'
import { type ExtraConfigSection, extraConfigOwner } from './extra-config-ownership.js'
import { secretValueIssues } from './secret-values.js'

/**
 * The top-level fields of each file's lenient schema: the user's values of modelled keys must
 * have the types upstream reads. Asked only for a spec with `extraConfig`, so the schemas are
 * built then (see `_homeserver-lenient-schemas.ts`).
 */
const LENIENT: Readonly<Record<ExtraConfigSection, () => Readonly<Record<string, z.ZodType>>>> = {
  synapse: () => lenientHomeserverSchemas().LenientHomeserverConfigSchema.shape,
  livekit: () => lenientLiveKitSchemas().LenientLiveKitConfigSchema.shape,
  elementWeb: () => lenientElementSchemas().LenientElementConfigSchema.shape,
}

/** The user's values of keys the lenient upstream schema models must have the types upstream reads. */
function typeIssues(section: ExtraConfigSection, key: string, value: unknown): SpecIssue[] {
  const schema = LENIENT[section]()[key]
  if (schema === undefined) return []
  const parsed = schema.safeParse(value, { reportInput: true })
  if (parsed.success) return []
  const prefixed = parsed.error.issues
    // A field the user leaves out where the SDK renders it is no gap: the merged file has it.
    .filter((issue) => !(issue.input === undefined && extraConfigOwner(section, [key, ...(issue.path as (string | number)[])]) === 'sdk'))
    .map((issue) => ({ ...issue, path: [section, 'extraConfig', key, ...issue.path] }))
  return issuesFromZod(prefixed, schema, { showValues: true, fieldHints: false })
}

/**
 * The issues of one `extraConfig` map that do not depend on the rest of the spec: places
 * the SDK renders (leaf by leaf; see {@link ownershipTree}), secrets at any depth, keys
 * upstream does not know, and values of modelled keys with a type upstream does not read.
 */
export function extraConfigIssues(section: ExtraConfigSection, extra: Readonly<Record<string, unknown>>): SpecIssue[] {
  const issues: SpecIssue[] = []
  for (const key of Object.keys(extra).sort()) {
    const structure = extraConfigKeyIssues(section, key, extra[key])
    issues.push(...(structure.length > 0 ? structure : typeIssues(section, key, extra[key])))
  }
  return [...issues, ...secretValueIssues(section, extra)]
}

/**
 * Refuses what `extraConfig` may not set: places messenger-stack renders (derived from the
 * output models, leaf by leaf), secrets at any depth (`smtp_pass`, `client_secret`, private
 * keys, ...), keys upstream does not know (LiveKit), values of the wrong type, and added
 * Synapse listeners on a port already in use.
 */
export function checkExtraConfig(spec: Pick<DeploymentSpec, 'synapse' | 'livekit' | 'elementWeb'>): SpecIssue[] {
  return [
    ...extraConfigIssues('synapse', spec.synapse.extraConfig),
    ...listenerPortIssues(spec),
    ...extraConfigIssues('livekit', spec.livekit.extraConfig),
    ...extraConfigIssues('elementWeb', spec.elementWeb.extraConfig),
  ]
}
