import { lkJwtBind } from '../../deployment/derived.js'
import { BUNDLE_PATHS } from '../../deployment/layout.js'
import { SECRET_FILES } from '../../secret-files/file-names.js'
import { secretMount } from '../mounts.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * lk-jwt-service, the MatrixRTC authorisation service (stateless: it may run per colour).
 *
 * - The image is built `FROM scratch`: no shell, no curl. Its own probe binary
 *   `/lk-jwt-service-healthcheck` GETs `http://127.0.0.1:<LIVEKIT_JWT_BIND>/healthz`, pasting
 *   the variable after the colon (upstream `healthcheck/main.go`, and the same in the Rust
 *   rewrite); so it works only while `LIVEKIT_JWT_BIND` is unset, which the rendered env
 *   file arranges on the default port (see {@link lkJwtBind}). On any other port there is no
 *   health check (documented exception: nothing else in the image could check it).
 * - Every setting, `LIVEKIT_SECRET_FROM_FILE` included, comes from the rendered env file,
 *   which holds no secret; only the one secret file it names is mounted.
 * - Read-only root filesystem: it writes nothing.
 *
 * @see https://github.com/element-hq/lk-jwt-service#configuration
 */
export function lkJwtServiceWorkload({ spec }: WorkloadInput): WorkloadSpecifics {
  return {
    init: false,
    environmentFile: BUNDLE_PATHS.lkJwtEnv,
    mounts: [secretMount(SECRET_FILES.livekitApiSecret)],
    health:
      lkJwtBind(spec) === undefined
        ? execHealthCheck(['/lk-jwt-service-healthcheck'], 10)
        : { kind: 'none', reason: 'the bundled probe only checks the default port 8080, and the image has no shell' },
    readOnlyRootFilesystem: true,
    pidsLimit: 64,
  }
}
