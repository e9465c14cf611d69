import * as z from 'zod'
import { NGINX_DIRECTIVE_NAME, NGINX_PLACEHOLDER, NGINX_VARIABLE_NAME, type NginxArg, type NginxNode, type NginxPart } from './model.js'

/** Schema of an {@link NginxPart}. */
export const NginxPartSchema: z.ZodType<NginxPart> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), value: z.string() }),
  z.strictObject({ kind: z.literal('variable'), name: z.string().regex(NGINX_VARIABLE_NAME) }),
  z.strictObject({ kind: z.literal('placeholder'), token: z.string().regex(NGINX_PLACEHOLDER) }),
])

/** Schema of an {@link NginxArg}. Text is checked (quoted or refused) by the printer. */
export const NginxArgSchema: z.ZodType<NginxArg> = z.union([
  z.string(),
  z.int(),
  z.strictObject({ kind: z.literal('expression'), parts: z.array(NginxPartSchema).min(1) }),
  z.strictObject({ kind: z.literal('regex'), pattern: z.string().min(1) }),
])

/** Schema of an {@link NginxNode}: a directive, a block, a comment or a table row. */
export const NginxNodeSchema: z.ZodType<NginxNode> = z.lazy(() =>
  z.union([
    z.strictObject({
      name: z.string().regex(NGINX_DIRECTIVE_NAME),
      args: z.array(NginxArgSchema),
      children: z.array(NginxNodeSchema).optional(),
    }),
    z.strictObject({ comment: z.string() }),
    z.strictObject({ entry: z.array(NginxArgSchema).min(1) }),
  ]),
)

/** Schema of a whole nginx configuration file (its top-level nodes). */
export const NginxConfigSchema = z.array(NginxNodeSchema).meta({ description: 'The nodes of an nginx configuration file.' })
