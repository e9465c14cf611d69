import * as z from 'zod'

const LevelSchema = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR'])

/**
 * Synapse's log config: a Python `logging.config.dictConfig` document (version 1) with one
 * console handler, as far as messenger-stack renders it.
 *
 * @see https://docs.python.org/3/library/logging.config.html#logging-config-dictschema
 * @see https://element-hq.github.io/synapse/latest/usage/configuration/logging_sample_config.html
 */
export const SynapseLogConfigSchema = z
  .strictObject({
    version: z.literal(1),
    formatters: z.strictObject({ precise: z.strictObject({ format: z.string().min(1) }) }),
    handlers: z.strictObject({
      console: z.strictObject({
        class: z.literal('logging.StreamHandler'),
        formatter: z.literal('precise'),
        stream: z.literal('ext://sys.stdout'),
      }),
    }),
    loggers: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/), z.strictObject({ level: LevelSchema })),
    root: z.strictObject({ level: LevelSchema, handlers: z.tuple([z.literal('console')]) }),
    disable_existing_loggers: z.literal(false),
  })
  .superRefine((config, ctx) => {
    // At DEBUG, synapse.storage.SQL logs statements with their arguments, access tokens included.
    if (config.loggers['synapse.storage.SQL']?.level !== 'INFO') {
      ctx.addIssue({ code: 'custom', path: ['loggers', 'synapse.storage.SQL'], message: 'synapse.storage.SQL must be pinned to INFO' })
    }
  })
  .register(z.globalRegistry, { description: 'Synapse log config (Python logging dictConfig).' })

/** The rendered Synapse log config. */
export type SynapseLogConfig = z.output<typeof SynapseLogConfigSchema>
