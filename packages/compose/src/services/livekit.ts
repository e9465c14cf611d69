import {
  BUNDLE_PATHS,
  CONTAINER_PATHS,
  DERIVED_SECRET_FILES,
  deriveValues,
  tlsCertificatePaths,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { livekitNeedsCertificate, usesLetsEncrypt } from '../_conditions.js'
import { hardenedService, healthcheck, type Placement } from '../_hardening.js'
import { configMount, secretMount, volumeMount } from '../_mounts.js'
import { dataVolumeName } from '../data-volumes.js'
import type { ComposeService } from '../model.js'
import { composePorts } from '../_ports.js'

/** The certificate mounts LiveKit's TURN/TLS listener needs (standalone only). */
function certificateMounts(spec: DeploymentSpec): string[] {
  if (!livekitNeedsCertificate(spec)) return []
  if (usesLetsEncrypt(spec)) return [volumeMount(dataVolumeName(spec, 'letsencrypt'), CONTAINER_PATHS.letsEncryptDir, true)]
  const files = spec.tls?.certificateFiles
  if (files === undefined) return []
  const inside = tlsCertificatePaths(spec)
  return [`${files.certificate}:${inside.certificate}:ro`, `${files.key}:${inside.key}:ro`]
}

/**
 * The LiveKit SFU with its embedded TURN server. One instance: it binds the media ports on
 * the host, so in blue/green it belongs to the shared core.
 *
 * - Runs as the container user; read-only root filesystem, it writes nothing.
 * - API keys come from `key_file` (`/secrets/livekit_keys.yaml`); LiveKit refuses the file
 *   unless "other" has no permission bits, so the secrets folder keeps files at 0600, owned by
 *   the container user.
 * - Healthcheck: `GET /` answers 200 "OK" when the node is ready; the image is Alpine-based,
 *   so busybox wget is there.
 *
 * @see https://docs.livekit.io/home/self-hosting/deployment/
 */
export function livekitService(spec: DeploymentSpec, placement: Placement): ComposeService {
  const { resources } = deriveValues(spec)
  return hardenedService(spec, placement, resources.memoryLimitsMb.livekit, {
    image: spec.images.livekit,
    command: ['--config', CONTAINER_PATHS.livekitConfig],
    volumes: [
      configMount(BUNDLE_PATHS.livekitConfig, CONTAINER_PATHS.livekitConfig),
      secretMount(DERIVED_SECRET_FILES.livekitKeys),
      ...certificateMounts(spec),
    ],
    ports: composePorts(spec, 'livekit'),
    healthcheck: healthcheck(['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${spec.livekit.httpPort}/`], '20s'),
    read_only: true,
    pids_limit: 256,
  })
}
