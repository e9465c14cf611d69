import * as z from 'zod'
import { EmailSchema } from './primitives.js'
import { withHint } from '../errors/field-hints.js'
import { COLOURABLE_SERVICES } from '../workload/catalogue.js'

const rootRefused = 'must not be 0: containers never run as root, so a container escape does not hand over the host'

/** A numeric user or group ID other than root's. */
const unprivilegedId = () =>
  withHint(z.int().min(1, { error: rootRefused }).max(2_147_483_647), {
    invalid: 'use the numeric ID of an unprivileged user or group, such as 1000 (`id -u` and `id -g` print yours).',
  })

/** The non-root user every container runs as. */
export const ContainerUserSchema = z
  .strictObject({
    uid: unprivilegedId().register(z.globalRegistry, { description: 'Numeric user ID every container runs as. Must not be 0 (root).' }),
    gid: unprivilegedId().register(z.globalRegistry, { description: 'Numeric group ID every container runs as. Must not be 0 (root).' }),
  })
  .register(z.globalRegistry, {
    description:
      "User and group every container runs as (the original service's CONTAINER_USER_UID/GID). `messenger-stack init` fills in the invoking user. Root (0) is refused.",
  })

const absolutePath = z
  .string()
  .max(500)
  .regex(/^\/[A-Za-z0-9._/@+-]*$/, { error: 'must be an absolute path of letters, digits and "._/@+-"' })

/** TLS for standalone mode. */
export const TlsOptionsSchema = z
  .strictObject({
    letsEncrypt: z
      .strictObject({
        email: withHint(EmailSchema.meta({ description: "Contact address for Let's Encrypt expiry notices." }), {
          missing: 'add the address Let\'s Encrypt sends expiry notices to, such as "email: admin@example.org".',
        }),
        staging: z
          .boolean()
          .default(false)
          .register(z.globalRegistry, { description: "Use Let's Encrypt's staging CA (for trial runs; browsers distrust it)." }),
      })
      .optional()
      .register(z.globalRegistry, {
        description: "Obtain and renew certificates from Let's Encrypt with a certbot container (HTTP-01 webroot).",
      }),
    certificateFiles: z
      .strictObject({
        certificate: withHint(absolutePath.clone(), {
          invalid: 'use the absolute host path of the PEM file, such as "/etc/ssl/matrix/fullchain.pem".',
        }).meta({ description: 'Host path of the PEM certificate chain covering every public host.' }),
        key: withHint(absolutePath.clone(), {
          invalid: 'use the absolute host path of the PEM file, such as "/etc/ssl/matrix/privkey.pem".',
        }).meta({
          description:
            'Host path of the PEM private key. nginx runs as `containerUser`, so that user must be able to read it (for example group-readable, mode 0640, by `containerUser.gid`); the deploy script checks it before starting anything.',
        }),
      })
      .optional()
      .register(z.globalRegistry, { description: 'Use certificate files you manage yourself.' }),
  })
  .register(z.globalRegistry, { description: "TLS for standalone mode: Let's Encrypt or your own certificate files (exactly one)." })

/** The external nginx gateway of microservice mode. */
export const GatewayOptionsSchema = z
  .strictObject({
    network: withHint(
      z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/, { error: 'must be a Docker network name such as "nginx-network"' }),
      { invalid: 'use the name of the gateway\'s Docker network, such as "nginx-network".' },
    )
      .default('nginx-network')
      .register(z.globalRegistry, { description: "The gateway's external Docker network the services join." }),
    activeColorPlaceholder: withHint(z.string().regex(/^\$\{[A-Z][A-Z0-9_]*\}$/, { error: 'must look like "${ACTIVE_COLOR}"' }), {
      invalid: 'use a placeholder of the form "${ACTIVE_COLOR}".',
    })
      .default('${ACTIVE_COLOR}')
      .register(z.globalRegistry, {
        description: 'Literal placeholder the gateway substitutes with "blue" or "green" in `gateway-proxy.conf`.',
      }),
    colourSwitched: z.array(z.enum(COLOURABLE_SERVICES)).default(['element-web', 'lk-jwt-service']).register(z.globalRegistry, {
      description:
        'Services that run once per colour and switch with the gateway. Only stateless services may: Synapse, PostgreSQL, Redis and LiveKit form a single shared core.',
    }),
  })
  .register(z.globalRegistry, { description: 'The external nginx gateway of microservice mode (blue/green).' })

export type ContainerUser = z.output<typeof ContainerUserSchema>
export type TlsOptions = z.output<typeof TlsOptionsSchema>
export type GatewayOptions = z.output<typeof GatewayOptionsSchema>
