import * as z from 'zod'
import { withHint } from '../errors/field-hints.js'

const identifier = withHint(
  z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lowercase SQL identifier such as "synapse"' }),
  {
    invalid: 'use a lowercase SQL identifier such as "synapse".',
  },
)

/** PostgreSQL options. */
export const PostgresOptionsSchema = z
  .strictObject({
    database: identifier
      .default('synapse')
      .register(z.globalRegistry, { description: 'Name of the Synapse database (created UTF8 with C collation).' }),
    user: identifier.default('synapse').register(z.globalRegistry, { description: 'PostgreSQL role Synapse connects as.' }),
    extraSettings: z
      .record(
        z.string().regex(/^[a-z_][a-z0-9_.]*$/, { error: 'must be a postgresql.conf setting name such as "work_mem"' }),
        withHint(
          z.union([
            z.string().regex(/^[^\p{Cc}'\\]*$/u, { error: 'must be text without quotes, backslashes or control characters' }),
            z.number(),
            z.boolean(),
          ]),
          { invalid: 'write the setting as a number, true/false, or text without quotes, backslashes or line breaks, such as "4MB".' },
        ),
      )
      .default({})
      .register(z.globalRegistry, { description: 'Extra `postgresql.conf` settings, merged after the profile-derived memory settings.' }),
  })
  .register(z.globalRegistry, { description: 'PostgreSQL database for Synapse.' })

/** Redis options. */
export const RedisOptionsSchema = z
  .strictObject({
    maxMemory: withHint(z.string().regex(/^[1-9][0-9]{0,6}(?:mb|gb)$/, { error: 'must be a size such as "64mb" or "1gb"' }), {
      invalid: 'write a size such as "64mb" or "1gb".',
    })
      .optional()
      .register(z.globalRegistry, { description: 'Redis `maxmemory`, such as "64mb". Defaults to the value of the resource profile.' }),
  })
  .register(z.globalRegistry, { description: 'Redis, used by Synapse for caching and replication.' })

export type PostgresOptions = z.output<typeof PostgresOptionsSchema>
export type RedisOptions = z.output<typeof RedisOptionsSchema>
