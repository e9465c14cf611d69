import * as z from 'zod'
import { DnsNameSchema, ExtraConfigSchema, FreeTextSchema } from './primitives.js'

/** Element Web options. */
export const ElementWebOptionsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).register(z.globalRegistry, { description: 'Whether Element Web is deployed.' }),
    host: DnsNameSchema.optional().register(z.globalRegistry, {
      description: 'Public host serving Element Web. Defaults to `matrixHost`.',
    }),
    brand: FreeTextSchema.default('Element').register(z.globalRegistry, { description: 'Product name shown by Element Web.' }),
    defaultTheme: z.enum(['light', 'dark']).default('light').register(z.globalRegistry, { description: 'Theme for new users.' }),
    disableGuests: z.boolean().default(true).register(z.globalRegistry, { description: 'Hide guest access in Element Web.' }),
    disableCustomUrls: z
      .boolean()
      .default(true)
      .register(z.globalRegistry, { description: 'Stop users from pointing Element Web at another homeserver.' }),
    extraConfig: ExtraConfigSchema.default({}).register(z.globalRegistry, {
      description:
        'Extra Element Web `config.json` keys in snake_case, merged last, leaf by leaf (such as `setting_defaults` entries); leaves the SDK renders are refused, items of `room_directory.servers` are appended. See docs/extra-config.md.',
    }),
  })
  .register(z.globalRegistry, { description: 'Element Web client.' })

export type ElementWebOptions = z.output<typeof ElementWebOptionsSchema>
