import { BUNDLE_PATHS, SECRET_FILES, deriveValues, lkJwtBind, type DeploymentSpec } from '@messenger-stack/config-schema'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { secretMount } from '../_mounts.js'
import type { ComposeDependencyCondition, ComposeService } from '../model.js'

/**
 * lk-jwt-service, the MatrixRTC authorisation service (stateless: it may run per colour).
 *
 * - The image is built `FROM scratch`: no shell, no curl. Its own probe binary
 *   `/lk-jwt-service-healthcheck` GETs `http://127.0.0.1:<LIVEKIT_JWT_BIND>/healthz`, pasting
 *   the variable after the colon (upstream `healthcheck/main.go`, and the same in the Rust
 *   rewrite); so it works only while `LIVEKIT_JWT_BIND` is unset, which the rendered env
 *   file arranges on the default port (see `lkJwtBind` in config-schema). On any other port
 *   the healthcheck is off (documented exception: nothing else in the image could check it).
 * - Every setting, `LIVEKIT_SECRET_FROM_FILE` included, comes from the rendered env file,
 *   which holds no secret; compose only mounts the one secret file it names.
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
  const probeWorks = lkJwtBind(spec) === undefined
  return hardenedService(spec, placement, resources.memoryLimitsMb.lkJwtService, {
    image: spec.images.lkJwtService,
    env_file: [`./${BUNDLE_PATHS.lkJwtEnv}`],
    volumes: [secretMount(SECRET_FILES.livekitApiSecret)],
    depends_on: dependsOn,
    healthcheck: probeWorks ? healthcheck(['CMD', '/lk-jwt-service-healthcheck'], '10s') : { disable: true },
    read_only: true,
    pids_limit: 64,
  })
}
