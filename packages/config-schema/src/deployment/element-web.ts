import * as z from 'zod'
import { DnsNameSchema, ExtraConfigSchema, FreeTextSchema } from './primitives.js'

/** Element Web options. */
export const ElementWebOptionsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).meta({ description: 'Whether Element Web is deployed.' }),
    host: DnsNameSchema.optional().meta({ description: 'Public host serving Element Web. Defaults to `matrixHost`.' }),
    brand: FreeTextSchema.default('Element').meta({ description: 'Product name shown by Element Web.' }),
    defaultTheme: z.enum(['light', 'dark']).default('light').meta({ description: 'Theme for new users.' }),
    disableGuests: z.boolean().default(true).meta({ description: 'Hide guest access in Element Web.' }),
    disableCustomUrls: z.boolean().default(true).meta({ description: 'Stop users from pointing Element Web at another homeserver.' }),
    extraConfig: ExtraConfigSchema.default({}).meta({
      description:
        'Extra Element Web `config.json` keys in snake_case, merged last, leaf by leaf (such as `setting_defaults` entries); leaves the SDK renders are refused, items of `room_directory.servers` are appended. See docs/extra-config.md.',
    }),
  })
  .meta({ description: 'Element Web client.' })

export type ElementWebOptions = z.output<typeof ElementWebOptionsSchema>
