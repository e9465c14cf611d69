import * as z from 'zod'
import { withHint } from '../errors/field-hints.js'
import { SynapseEmailSchema } from './email.js'
import { DnsNameSchema, ExtraConfigSchema, ListenPortSchema, SizeSchema } from './primitives.js'
import { SynapseWorkersSchema } from './workers.js'

/** How new accounts may be created. */
export const RegistrationSchema = z
  .strictObject({
    mode: z.enum(['disabled', 'token', 'open']).default('disabled').register(z.globalRegistry, {
      description:
        "Who may create accounts: 'disabled' (only admins, through the shared-secret API or `register-user`), 'token' (anyone holding a registration token made with Synapse's admin API), 'open' (anyone; without `requireEmail`, only for closed networks).",
    }),
    requireEmail: z.boolean().default(false).register(z.globalRegistry, {
      description:
        'New accounts must give an email address and confirm it through the link Synapse mails (Synapse `registrations_require_3pid: [email]`). Needs `synapse.email`; only meaningful when registration is not disabled.',
    }),
  })
  .register(z.globalRegistry, {
    description: 'Account registration. Off by default; admins create users with `messenger-stack register-user`.',
  })

/** Federation with other Matrix servers. */
export const FederationSchema = z
  .strictObject({
    enabled: z.boolean().default(true).register(z.globalRegistry, {
      description:
        'Whether this server federates with other Matrix servers. When off, Synapse still serves the `openid` resource so the MatrixRTC authorisation service can verify users.',
    }),
    allowList: z.array(DnsNameSchema).max(1000).optional().register(z.globalRegistry, {
      description:
        'When set, federate only with these server names (Synapse `federation_domain_whitelist`). Leave unset to federate with everyone.',
    }),
  })
  .register(z.globalRegistry, { description: 'Federation with other Matrix servers.' })

/** Synapse options of the deployment spec. */
export const SynapseOptionsSchema = z
  .strictObject({
    httpPort: ListenPortSchema.default(8008).register(z.globalRegistry, {
      description: 'TCP port of the Synapse HTTP listener inside its container (the original service used 3708).',
    }),
    registration: RegistrationSchema.prefault({}),
    maxUploadSize: SizeSchema.default('50M').register(z.globalRegistry, {
      description:
        'Largest file users may upload, such as "50M" (K, M, G are powers of 1024). nginx `client_max_body_size` is derived from it.',
    }),
    federation: FederationSchema.prefault({}),
    email: SynapseEmailSchema.optional(),
    presence: z
      .boolean()
      .default(true)
      .register(z.globalRegistry, { description: 'Whether online/offline presence is tracked and shared (costs CPU on busy servers).' }),
    urlPreviews: z.boolean().default(false).register(z.globalRegistry, {
      description: 'Whether Synapse fetches URL previews. Private and loopback address ranges are always blocked.',
    }),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']).default('INFO').register(z.globalRegistry, {
      description: 'Log level of Synapse. SQL statements are never logged at DEBUG, because they contain access tokens.',
    }),
    cacheFactor: withHint(z.number().min(0.05).max(20), {
      invalid: 'use a number from 0.05 to 20, or leave it out to use the resource profile.',
    })
      .optional()
      .register(z.globalRegistry, {
        description: 'Synapse `caches.global_factor`. Defaults to the value of the resource profile.',
      }),
    workers: SynapseWorkersSchema.prefault({}),
    extraConfig: ExtraConfigSchema.default({}).register(z.globalRegistry, {
      description:
        'Extra `homeserver.yaml` keys in Synapse spelling, merged last, leaf by leaf: keys beside the ones the SDK renders are yours (such as `caches.per_cache_factors`), a leaf the SDK renders is refused (set its typed field instead), and items of `listeners`, `trusted_key_servers` and `url_preview_ip_range_blacklist` are appended. See docs/extra-config.md.',
    }),
  })
  .register(z.globalRegistry, { description: 'Synapse homeserver options.' })

export type SynapseOptions = z.output<typeof SynapseOptionsSchema>
