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

/**
 * Schema of a whole nginx configuration as a block tree (its top-level nodes), such as a tree
 * read from JSON before printing it with `printNginx`.
 *
 * It checks the typed tree, not nginx text: it does not parse an `nginx.conf`, and a tree it
 * accepts can still be refused by `printNginx` (a `$` or a newline in literal text, a negative
 * number) or by nginx itself (an unknown directive, a directive in the wrong context). Run the
 * printed text through `nginx -t` to know that nginx accepts it.
 *
 * @example
 * const tree = NginxConfigSchema.parse(JSON.parse(json))
 * const text = printNginx(tree)
 */
export const NginxConfigSchema = z
  .array(NginxNodeSchema)
  .register(z.globalRegistry, { description: 'The nodes of an nginx configuration as a typed block tree (not nginx text).' })
