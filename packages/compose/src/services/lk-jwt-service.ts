import { BUNDLE_PATHS, SECRET_FILES, deriveValues, type DeploymentSpec } from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { secretMount, secretPath } from '../_mounts.js'
import type { ComposeDependencyCondition, ComposeService } from '../model.js'

/** The port lk-jwt-service's bundled healthcheck can probe: its default, 8080. */
export const LK_JWT_HEALTHCHECK_PORT = 8080

/**
 * lk-jwt-service, the MatrixRTC authorisation service (stateless: it may run per colour).
 *
 * - The image is built `FROM scratch`: no shell, no curl. Its own probe binary
 *   `/lk-jwt-service-healthcheck` GETs `http://127.0.0.1:<LIVEKIT_JWT_BIND>/healthz`, pasting
 *   the variable after the colon (upstream `healthcheck/main.go`, and the same in the Rust
 *   rewrite); so it works only while `LIVEKIT_JWT_BIND` is empty (then both the service and
 *   the probe use port 8080). A host:port or `:port` value makes the probe's URL invalid.
 *   Compose owns this variable and overrides the env file: with the default
 *   `livekit.jwtPort` (8080) it sets it empty (both programs treat empty as unset) and the
 *   probe runs; any other port sets `:<port>` and switches the healthcheck off (documented
 *   exception: nothing else in the image could check it).
 * - The API secret is read from a file (`LIVEKIT_SECRET_FROM_FILE`); the other settings come
 *   from the rendered env file, which holds no secret.
 * - Read-only root filesystem: it writes nothing.
 *
 * @see https://github.com/element-hq/lk-jwt-service#configuration
 */
export function lkJwtService(
  spec: DeploymentSpec,
  placement: Placement,
  dependsOn?: Readonly<Record<string, { readonly condition: ComposeDependencyCondition }>>,
): ComposeService {
  const { resources } = deriveValues(spec)
  const defaultPort = spec.livekit.jwtPort === LK_JWT_HEALTHCHECK_PORT
  return hardenedService(spec, placement, resources.memoryLimitsMb.lkJwtService, {
    image: spec.images.lkJwtService,
    env_file: [`./${BUNDLE_PATHS.lkJwtEnv}`],
    environment: {
      LIVEKIT_SECRET_FROM_FILE: secretPath(SECRET_FILES.livekitApiSecret),
      LIVEKIT_JWT_BIND: defaultPort ? '' : `:${spec.livekit.jwtPort}`,
    },
    volumes: [secretMount(SECRET_FILES.livekitApiSecret)],
    depends_on: dependsOn,
    healthcheck: defaultPort ? healthcheck(['CMD', '/lk-jwt-service-healthcheck'], '10s') : { disable: true },
    read_only: true,
    pids_limit: 64,
  })
}
