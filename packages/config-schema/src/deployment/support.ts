import * as z from 'zod'
import { EmailSchema } from './primitives.js'

/**
 * A Matrix user ID such as `@admin:example.org`: a lowercase localpart of the characters the
 * spec allows today and a server name. ASCII without `$` or quotes, so it can be printed
 * anywhere (the support document is served inline by nginx).
 *
 * @see https://spec.matrix.org/v1.10/appendices/#user-identifiers
 */
export const MatrixUserIdSchema = z
  .string()
  .max(255)
  .regex(/^@[a-z0-9._=/+-]+:[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[1-9][0-9]{0,4})?$/, {
    error: 'must be a Matrix user ID such as "@admin:example.org" (lowercase localpart)',
  })

/** A plain https URL: ASCII, no spaces, quotes, `$` or backslashes (printed into nginx and JSON). */
export const PlainHttpsUrlSchema = z
  .string()
  .max(500)
  .regex(/^https:\/\/[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[1-9][0-9]{0,4})?(?:\/[A-Za-z0-9._~!&()*+,;=:@%/?#-]*)?$/, {
    error: 'must be an https URL such as "https://example.org/help" (a lowercase host; no spaces, quotes or "$")',
  })

/** The roles MSC1929 defines: `m.role.admin` and `m.role.security`. */
export const SupportRoleSchema = z.enum(['admin', 'security'])

/** One contact of the support document. */
export const SupportContactSchema = z
  .strictObject({
    role: SupportRoleSchema.meta({
      description: "'admin' (`m.role.admin`: runs the server) or 'security' (`m.role.security`: receives security reports).",
    }),
    matrixId: MatrixUserIdSchema.optional().register(z.globalRegistry, {
      description: 'Matrix user ID to contact, such as "@admin:example.org".',
    }),
    email: EmailSchema.optional().register(z.globalRegistry, { description: 'Email address to contact.' }),
  })
  .refine((contact) => contact.matrixId !== undefined || contact.email !== undefined, {
    error: 'must give a matrixId or an email (or both), so that the contact can be reached',
  })
  .register(z.globalRegistry, { description: 'A person or team to contact, by Matrix ID, email, or both.' })

/**
 * Who to contact about this server, published as `/.well-known/matrix/support` on the server
 * name (MSC1929, in the Matrix spec since v1.10): clients and other servers' admins find it there.
 *
 * @see https://spec.matrix.org/v1.10/client-server-api/#getwell-knownmatrixsupport
 */
export const SupportSchema = z
  .strictObject({
    contacts: z.array(SupportContactSchema).max(20).default([]).register(z.globalRegistry, {
      description:
        "Admin and security contacts, in the order they are published. Each has `role` ('admin' or 'security') and a `matrixId` (such as \"@admin:example.org\"), an `email`, or both.",
    }),
    page: PlainHttpsUrlSchema.optional().register(z.globalRegistry, { description: 'A web page with help for the users of this server.' }),
  })
  .refine((support) => support.contacts.length > 0 || support.page !== undefined, {
    error: 'must list at least one contact or a page (leave support out to publish nothing)',
  })
  .register(z.globalRegistry, {
    description: 'Admin contacts and a help page, published at /.well-known/matrix/support (MSC1929). Leave it out to publish nothing.',
  })

/** The support section of a parsed spec. */
export type Support = z.output<typeof SupportSchema>
