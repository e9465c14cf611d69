import * as z from 'zod'
import { DnsNameSchema, FreeTextSchema } from '../deployment/primitives.js'
import { HttpsUrlSchema } from '../well-known/rtc-transport.js'

/**
 * The subset of Element Web's `config.json` messenger-stack renders, snake_case only (the
 * camelCase aliases are deprecated). Every leaf here is owned by the SDK (see {@link extraConfigOwner}).
 *
 * Strict: exactly the typed part messenger-stack renders (before `extraConfig`), written
 * against {@link UPSTREAM_VERSIONS}`.elementWeb`. To check any real `config.json`, use
 * {@link LenientElementConfigSchema} or {@link validateElementConfig}.
 *
 * @see https://github.com/element-hq/element-web/blob/develop/docs/config.md
 */
export const ElementConfigSchema = z
  .strictObject({
    default_server_config: z.strictObject({
      'm.homeserver': z.strictObject({ base_url: HttpsUrlSchema, server_name: DnsNameSchema }),
    }),
    disable_custom_urls: z.boolean(),
    disable_guests: z.boolean(),
    brand: FreeTextSchema,
    default_theme: z.enum(['light', 'dark']),
    default_federate: z.boolean().register(z.globalRegistry, { description: 'Default of "allow other servers to join" for new rooms.' }),
    room_directory: z.strictObject({ servers: z.array(DnsNameSchema).min(1) }),
    show_labs_settings: z.boolean(),
    element_call: z.strictObject({
      use_exclusively: z.boolean().optional().register(z.globalRegistry, { description: 'Hide legacy 1:1 and Jitsi calls.' }),
      disable: z.boolean().optional().register(z.globalRegistry, { description: 'Turn Element Call off (no MatrixRTC backend).' }),
    }),
    features: z.record(z.string().regex(/^feature_[a-z0-9_]+$/), z.boolean()).optional(),
    setting_defaults: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.]*$/), z.union([z.boolean(), z.string(), z.number()])).optional(),
    enable_presence_by_hs_url: z.record(HttpsUrlSchema, z.boolean()).optional(),
  })
  .register(z.globalRegistry, { description: 'The Element Web config.json keys messenger-stack renders.' })

/** The rendered Element Web `config.json` (typed part, before `extraConfig`). */
export type ElementConfig = z.output<typeof ElementConfigSchema>
