import * as z from 'zod'
import { withHint } from '../errors/field-hints.js'

/**
 * A container image reference pinned by tag, optionally also by digest:
 * `registry/repository:tag` or `registry/repository:tag@sha256:<64 hex>`.
 * Untagged references and the floating `latest` tag are refused: an upgrade must be a
 * spec change that can be reviewed in a diff.
 */
export const ImageRefSchema = withHint(
  z
    .string()
    .max(300)
    .regex(
      /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(?:@sha256:[a-f0-9]{64})?$/,
      {
        error:
          'must be an image reference pinned by tag, such as "docker.io/library/redis:7.4-alpine" (a digest "@sha256:..." may follow the tag)',
      },
    )
    .refine((ref) => !/:latest(?:@|$)/.test(ref), {
      error: 'must not use the floating "latest" tag; pin a version so upgrades show up in a diff',
    }),
  { invalid: 'pin a version tag, such as "docker.io/library/redis:7.4-alpine"; never "latest" or no tag.' },
)

/** The images we pin by default: current stable releases, checked together. */
export const DEFAULT_IMAGES = {
  synapse: 'ghcr.io/element-hq/synapse:v1.163.2',
  postgres: 'docker.io/library/postgres:17-alpine',
  redis: 'docker.io/library/redis:7.4-alpine',
  livekit: 'docker.io/livekit/livekit-server:v1.13.5',
  lkJwtService: 'ghcr.io/element-hq/lk-jwt-service:0.6.0',
  elementWeb: 'docker.io/vectorim/element-web:v1.12.26',
  nginx: 'docker.io/nginxinc/nginx-unprivileged:1.28-alpine',
  certbot: 'docker.io/certbot/certbot:v4.2.0',
  postgresExporter: 'quay.io/prometheuscommunity/postgres-exporter:v0.18.1',
  redisExporter: 'docker.io/oliver006/redis_exporter:v1.84.0',
  prometheus: 'docker.io/prom/prometheus:v3.16.0',
} as const

/** Image of every service; each defaults to the version in {@link DEFAULT_IMAGES}. */
export const ImagesSchema = z
  .strictObject({
    synapse: ImageRefSchema.default(DEFAULT_IMAGES.synapse).register(z.globalRegistry, { description: 'Synapse homeserver image.' }),
    postgres: ImageRefSchema.default(DEFAULT_IMAGES.postgres).register(z.globalRegistry, {
      description: 'PostgreSQL image (14 or newer; Synapse refuses older servers).',
    }),
    redis: ImageRefSchema.default(DEFAULT_IMAGES.redis).register(z.globalRegistry, { description: 'Redis image.' }),
    livekit: ImageRefSchema.default(DEFAULT_IMAGES.livekit).register(z.globalRegistry, { description: 'LiveKit SFU image.' }),
    lkJwtService: ImageRefSchema.default(DEFAULT_IMAGES.lkJwtService).register(z.globalRegistry, {
      description: 'MatrixRTC authorisation service (lk-jwt-service) image; 0.5.0 or newer.',
    }),
    elementWeb: ImageRefSchema.default(DEFAULT_IMAGES.elementWeb).register(z.globalRegistry, { description: 'Element Web image.' }),
    nginx: ImageRefSchema.default(DEFAULT_IMAGES.nginx).register(z.globalRegistry, {
      description: 'nginx image for standalone mode; must run unprivileged (listens above port 1024).',
    }),
    certbot: ImageRefSchema.default(DEFAULT_IMAGES.certbot).register(z.globalRegistry, {
      description: "certbot image for Let's Encrypt in standalone mode.",
    }),
    postgresExporter: ImageRefSchema.default(DEFAULT_IMAGES.postgresExporter).register(z.globalRegistry, {
      description: 'prometheus-community postgres_exporter image (`monitoring.postgresExporter`).',
    }),
    redisExporter: ImageRefSchema.default(DEFAULT_IMAGES.redisExporter).register(z.globalRegistry, {
      description: 'oliver006 redis_exporter image (`monitoring.redisExporter`).',
    }),
    prometheus: ImageRefSchema.default(DEFAULT_IMAGES.prometheus).register(z.globalRegistry, {
      description: 'Prometheus image (`monitoring.prometheus.enabled`).',
    }),
  })
  .register(z.globalRegistry, { description: 'Container images, pinned by tag (and optionally digest).' })

export type Images = z.output<typeof ImagesSchema>
