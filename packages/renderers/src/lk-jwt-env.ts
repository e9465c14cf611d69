import {
  BUNDLE_PATHS,
  SECRET_FILES,
  SECRETS_MOUNT,
  containerName,
  deriveValues,
  lkJwtBind,
  type DeploymentSpec,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { printEnvFile, type EnvEntry } from './_env.js'

/**
 * The environment of lk-jwt-service (the MatrixRTC authorisation service), in file order.
 * The API secret is read from a file; no secret value is written. The homeserver's
 * client-server API is reached over the internal network (`LIVEKIT_CS_API_URL_OVERRIDES`,
 * `server_name=url` pairs); verifying OpenID tokens still uses federation discovery. Pure.
 *
 * @see https://github.com/element-hq/lk-jwt-service#configuration
 */
export function lkJwtEnvModel(spec: DeploymentSpec): EnvEntry[] {
  const derived = deriveValues(spec)
  const lk = spec.livekit
  const bind = lkJwtBind(spec)
  return [
    {
      key: 'LIVEKIT_URL',
      value: derived.livekitSfuUrl,
      comment: ['LiveKit as clients see it (with the SFU path); also used for room creation.'],
    },
    { key: 'LIVEKIT_KEY', value: lk.keyName, comment: ['Name of the LiveKit API key; equals the LiveKit webhook api_key.'] },
    {
      key: 'LIVEKIT_SECRET_FROM_FILE',
      value: `${SECRETS_MOUNT}/${SECRET_FILES.livekitApiSecret}`,
      comment: ['The API secret, read from the secrets mount.'],
    },
    {
      key: 'LIVEKIT_FULL_ACCESS_HOMESERVERS',
      value: spec.serverName,
      comment: ['Only users of this homeserver may make LiveKit create a room.'],
    },
    {
      key: 'LIVEKIT_CS_API_URL_OVERRIDES',
      value: `${spec.serverName}=http://${containerName(spec, 'synapse')}:${spec.synapse.httpPort}`,
      comment: [
        "Delayed events (a caller's leave on hang-up, MSC4140) go to Synapse over the internal network,",
        'not through the public address found in the client well-known.',
      ],
    },
    { key: 'LIVEKIT_LOG_LEVEL', value: lk.logLevel, comment: ['livekit.logLevel, as for LiveKit.'] },
    ...(bind === undefined
      ? []
      : [
          {
            key: 'LIVEKIT_JWT_BIND',
            value: bind,
            comment: ['Listen address (livekit.jwtPort). Unset on the default port 8080, where the image health probe works.'],
          },
        ]),
  ]
}

/** Renders lk-jwt-service's env file (`KEY=value` lines, no secrets). Pure. */
export function renderLkJwtEnv(spec: DeploymentSpec): string {
  return printEnvFile(lkJwtEnvModel(spec), { header: generatedHeader(BUNDLE_PATHS.lkJwtEnv) })
}
