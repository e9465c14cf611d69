import * as z from 'zod'

// The lenient schemas of any real Element
// Web `config.json`, built on first use rather than when the package loads: only
// the `extraConfig` checks of a spec that has some, and the upstream validators, need them,
// and building them at load cost every cold CLI run a few milliseconds. The public constants
// (and their documentation) are in the module without the underscore.
function build() {
  const UrlSchema = z.string().regex(/^https?:\/\/\S+$/, { error: 'must be an http(s) URL' })

  const LenientElementConfigSchema = z
    .looseObject({
      default_server_config: z
        .looseObject({
          'm.homeserver': z
            .looseObject({
              base_url: UrlSchema.meta({ description: 'Client API base URL of the homeserver.' }),
              server_name: z.string().min(1).optional().register(z.globalRegistry, { description: 'Server name shown on the login page.' }),
            })
            .optional()
            .register(z.globalRegistry, { description: 'The default homeserver.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Default homeserver, in client well-known form.' }),
      disable_custom_urls: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Stop users from choosing another homeserver.' }),
      disable_guests: z.boolean().optional().register(z.globalRegistry, { description: 'Hide guest access.' }),
      brand: z.string().optional().register(z.globalRegistry, { description: 'Product name shown in the app.' }),
      default_theme: z
        .string()
        .min(1)
        .optional()
        .register(z.globalRegistry, { description: 'Theme for new users: "light", "dark" or a custom theme name.' }),
      default_federate: z
        .boolean()
        .optional()
        .register(z.globalRegistry, { description: 'Default of "allow other servers to join" for new rooms.' }),
      room_directory: z
        .looseObject({
          servers: z
            .array(z.string().min(1))
            .optional()
            .register(z.globalRegistry, { description: 'Servers offered in the room directory.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Room directory.' }),
      show_labs_settings: z.boolean().optional().register(z.globalRegistry, { description: 'Show the Labs section of the settings.' }),
      element_call: z
        .looseObject({
          use_exclusively: z
            .boolean()
            .optional()
            .register(z.globalRegistry, { description: 'Use Element Call for every call (no legacy or Jitsi calls).' }),
          disable: z.boolean().optional().register(z.globalRegistry, { description: 'Turn Element Call off.' }),
        })
        .optional()
        .register(z.globalRegistry, { description: 'Element Call, the MatrixRTC call client built into Element Web.' }),
      features: z.record(z.string(), z.boolean()).optional().register(z.globalRegistry, { description: 'Labs feature flags, on or off.' }),
      setting_defaults: z
        .record(z.string(), z.unknown())
        .optional()
        .register(z.globalRegistry, { description: 'Defaults of user settings.' }),
      enable_presence_by_hs_url: z
        .record(z.string(), z.boolean())
        .optional()
        .register(z.globalRegistry, { description: 'Presence display on or off per homeserver URL.' }),
    })
    .register(z.globalRegistry, { description: 'An Element Web config.json: the keys messenger-stack models; other keys are allowed.' })

  return { LenientElementConfigSchema }
}

let built: ReturnType<typeof build> | undefined

/** The schemas of any real Element Web config.json, built once, on first use. */
export function lenientElementSchemas(): ReturnType<typeof build> {
  built ??= build()
  return built
}
