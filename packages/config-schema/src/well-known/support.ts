import * as z from 'zod'
import type { DeploymentSpec } from '../deployment/spec.js'
import { MatrixUserIdSchema, PlainHttpsUrlSchema } from '../deployment/support.js'

/**
 * `/.well-known/matrix/support` (MSC1929, Matrix spec v1.10+): who to contact about the server.
 *
 * @see https://spec.matrix.org/v1.10/client-server-api/#getwell-knownmatrixsupport
 */
export const WellKnownSupportSchema = z
  .strictObject({
    contacts: z
      .array(
        z.strictObject({
          matrix_id: MatrixUserIdSchema.optional().register(z.globalRegistry, { description: 'Matrix user ID of the contact.' }),
          email_address: z.string().optional().register(z.globalRegistry, { description: 'Email address of the contact.' }),
          role: z.enum(['m.role.admin', 'm.role.security']).register(z.globalRegistry, { description: 'What the contact is for.' }),
        }),
      )
      .optional()
      .register(z.globalRegistry, { description: 'Admin and security contacts.' }),
    support_page: PlainHttpsUrlSchema.optional().register(z.globalRegistry, { description: 'A page with help for users of the server.' }),
  })
  .register(z.globalRegistry, { description: 'Support document served at /.well-known/matrix/support.' })

/** The support well-known document. */
export type WellKnownSupport = z.output<typeof WellKnownSupportSchema>

/**
 * The support document of a spec, or undefined when the spec has no `support` section (then
 * nothing is published). Pure; the route table serves it on the server name.
 */
export function wellKnownSupport(spec: Pick<DeploymentSpec, 'support'>): WellKnownSupport | undefined {
  const support = spec.support
  if (support === undefined) return undefined
  return {
    contacts:
      support.contacts.length === 0
        ? undefined
        : support.contacts.map((contact) => ({
            matrix_id: contact.matrixId,
            email_address: contact.email,
            role: contact.role === 'admin' ? 'm.role.admin' : 'm.role.security',
          })),
    support_page: support.page,
  }
}
