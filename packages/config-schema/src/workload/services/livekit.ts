import { BUNDLE_PATHS, CONTAINER_PATHS } from '../../deployment/layout.js'
import { DERIVED_SECRET_FILES } from '../../secret-files/file-names.js'
import { configMount, secretMount } from '../mounts.js'
import { portNumber } from '../ports.js'
import { execHealthCheck, type WorkloadInput, type WorkloadSpecifics } from '../workload.js'

/**
 * The LiveKit SFU with its embedded TURN server. One instance: it binds the media ports on
 * the host, so in blue/green it belongs to the shared core.
 *
 * - Runs as the container user; read-only root filesystem, it writes nothing.
 * - API keys come from `key_file` (`/secrets/livekit_keys.yaml`); LiveKit refuses the file
 *   unless "other" has no permission bits, so the secrets folder keeps files at 0600, owned by
 *   the container user.
 * - Its TURN/TLS listener (when on) speaks plain TURN (`external_tls`): nginx terminates TLS
 *   on 443 for the TURN domain and forwards here, so LiveKit holds no certificate and never
 *   needs a restart for a renewed one.
 * - Health: `GET /` answers 200 "OK" when the node is ready; the image is Alpine-based, so
 *   busybox wget is there.
 * - Its ICE/TCP, media and TURN ports are published with equal host and container numbers:
 *   LiveKit advertises the port it listens on. A wide UDP range makes Docker's userland proxy
 *   start one listener per port; a UDP mux port (`livekit.udpPort`) avoids that.
 *
 * @see https://docs.livekit.io/home/self-hosting/deployment/
 */
export function livekitWorkload({ ports }: WorkloadInput): WorkloadSpecifics {
  return {
    command: ['--config', CONTAINER_PATHS.livekitConfig],
    init: false,
    mounts: [configMount(BUNDLE_PATHS.livekitConfig, CONTAINER_PATHS.livekitConfig), secretMount(DERIVED_SECRET_FILES.livekitKeys)],
    health: execHealthCheck(['wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${portNumber(ports, 'http')}/`], 20),
    readOnlyRootFilesystem: true,
    pidsLimit: 256,
  }
}
