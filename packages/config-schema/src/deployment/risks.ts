import * as z from 'zod'

/**
 * Risks a spec may accept by name. Settings that weaken authentication, run commands or
 * open private networks are refused unless the spec names the risk here, so that such a
 * setting is always a deliberate, reviewable line rather than a side effect of an escape hatch.
 */
export const ACKNOWLEDGED_RISKS = {
  'postgres-server-settings':
    'postgres.extraSettings may set PostgreSQL settings that change authentication, TLS, loaded libraries, included files or commands the server runs (hba_file, password_encryption, ssl*, include*, archive_command, ...).',
  'synapse-private-network-access':
    'synapse.extraConfig may empty or narrow ip_range_blacklist, or whitelist private, loopback or link-local ranges, letting Synapse connect to hosts on internal networks (server-side request forgery).',
} as const

/** The name of an acknowledged risk. */
export type AcknowledgedRisk = keyof typeof ACKNOWLEDGED_RISKS

/** The risks a spec accepts by name. */
export const AcknowledgedRisksSchema = z
  .array(z.enum(Object.keys(ACKNOWLEDGED_RISKS) as [AcknowledgedRisk, ...AcknowledgedRisk[]]))
  .default([])
  .register(z.globalRegistry, {
    description: `Risky settings this spec accepts, by name. ${Object.entries(ACKNOWLEDGED_RISKS)
      .map(([name, what]) => `'${name}': ${what}`)
      .join(' ')}`,
  })
