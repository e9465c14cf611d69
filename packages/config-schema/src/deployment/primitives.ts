import * as z from 'zod'
import { withHint } from '../errors/field-hints.js'

/**
 * A lowercase DNS name such as `matrix.example.org`: labels of a-z, 0-9 and inner
 * hyphens, at least two labels, at most 253 characters. Upper case, ports, paths,
 * trailing dots and IP addresses are refused so that the name can be written into
 * nginx, YAML, JSON and certificates without escaping.
 */
export const DnsNameSchema = withHint(
  z
    .string()
    .max(253)
    .regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/, {
      error: 'must be a lowercase DNS name with at least two labels, such as "matrix.example.org"',
    }),
  { invalid: 'write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org".' },
)

/** A TCP or UDP port number. */
export const PortSchema = z.int().min(1).max(65_535)

/** A port one of the deployment's own services listens or publishes on. */
export const ListenPortSchema = withHint(PortSchema.clone(), {
  invalid: 'use a port number from 1 to 65535 that nothing else on the host uses.',
})

/** An URL path prefix such as `/livekit/jwt`: starts with `/`, no trailing slash. */
export const PathPrefixSchema = withHint(
  z
    .string()
    .max(100)
    .regex(/^(?:\/[a-z0-9][a-z0-9_.-]*)+$/, {
      error: 'must be a path such as "/livekit/jwt": lowercase segments of a-z, 0-9, "_", "." and "-", no trailing slash',
    }),
  { invalid: 'use a path of lowercase segments such as "/livekit/jwt", without a trailing slash.' },
)

/**
 * A size in Synapse's grammar: bytes as an integer, or an integer followed by K, M or G
 * (powers of 1024), such as `50M`.
 */
export const SizeSchema = withHint(
  z.string().regex(/^[1-9][0-9]{0,12}[KMG]?$/, { error: 'must be a size such as "50M", "512K" or "1G" (powers of 1024)' }),
  { invalid: 'write a size such as "50M", "512K" or "1G".' },
)

/** A single-line free text (brand names and the like): no control characters. */
export const FreeTextSchema = withHint(
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^\p{Cc}]*$/u, { error: 'must be one line of text without control characters' }),
  { invalid: 'use one line of text of at most 200 characters.' },
)

/** An email address (Let's Encrypt account contact). */
export const EmailSchema = withHint(
  z
    .string()
    .max(254)
    .regex(/^[A-Za-z0-9._%+-]+@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
      error: 'must be an email address such as "admin@example.org"',
    }),
  { invalid: 'use an address that receives mail, such as "admin@example.org".' },
)

/** An IPv4 address in dotted-quad notation. */
export const Ipv4Schema = z.string().regex(/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/, {
  error: 'must be an IPv4 address such as "203.0.113.10"',
})

/** An `extraConfig` escape hatch: upstream keys in upstream spelling, merged last. */
export const ExtraConfigSchema = z.record(z.string().min(1).max(200), z.unknown())

/** The deployment modes: `standalone` (own nginx and TLS) or `microservice` (behind a blue/green gateway). */
export const DeploymentModeSchema = z.enum(['standalone', 'microservice'])

/** A deployment mode. */
export type DeploymentMode = z.output<typeof DeploymentModeSchema>
