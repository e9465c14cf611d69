import type * as z from 'zod'
import { lenientElementSchemas } from './_config-lenient-schemas.js'

/**
 * Any real Element Web `config.json` (written against {@link UPSTREAM_VERSIONS}`.elementWeb`):
 * the keys messenger-stack models, typed and documented; every other key is allowed as
 * `unknown` ({@link validateElementConfig} lists them as "not modelled"). Element Web's own
 * defaults apply to missing keys, so none is required. For the file messenger-stack renders,
 * {@link ElementConfigSchema} is the strict, exact description.
 *
 * @see https://github.com/element-hq/element-web/blob/develop/docs/config.md
 */
export const LenientElementConfigSchema = lenientElementSchemas().LenientElementConfigSchema

/** Any real Element Web `config.json`, as far as messenger-stack models it; other keys are `unknown`. */
export type LenientElementConfig = z.output<typeof LenientElementConfigSchema>
