import { BUNDLE_PATHS, deriveValues, type DeploymentSpec } from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { printEnvFile, type EnvEntry } from './_env.js'

/** Variables the operational scripts read (environment first, then `.env`), by mode. */
function scriptVariables(spec: DeploymentSpec): EnvEntry[] {
  if (spec.mode !== 'microservice') return []
  return [
    {
      key: 'NGINX_MICROSERVICE_DIR',
      value: '/home/statex/nginx-microservice',
      comment: [
        'Read by scripts/deploy.sh: the nginx-microservice checkout (scripts/blue-green/deploy-smart.sh, scripts/reload-nginx.sh).',
      ],
      commented: true,
    },
    {
      key: 'GATEWAY_PROXY_INCLUDE',
      value: `/home/statex/nginx-microservice/nginx/includes/${spec.serviceName}/gateway-proxy.conf`,
      comment: [
        'Read by scripts/deploy.sh: where nginx/gateway-proxy.conf is installed for the gateway to include.',
        'Default: $NGINX_MICROSERVICE_DIR/nginx/includes/<service name>/gateway-proxy.conf.',
      ],
      commented: true,
    },
    {
      key: 'ACTIVE_COLOR',
      value: 'blue',
      comment: [
        'Read by scripts/deploy.sh: the colour (blue or green) written into the gateway include for its placeholder.',
        'Default: the running colour whose services started last (the one deploy-smart.sh just switched to).',
      ],
      commented: true,
    },
  ]
}

/**
 * The entries of `.env.example`: the variables the scripts read, commented out with their
 * defaults. The compose files read none (see compose's `containerUser`).
 */
export function envExampleEntries(spec: DeploymentSpec): EnvEntry[] {
  return scriptVariables(spec)
}

/**
 * Renders `.env.example` (bundle path `BUNDLE_PATHS.envExample`): documents every variable the
 * scripts read, with their defaults (the compose files read none). Copy it to `.env` to
 * override one on this host. Secrets are never here: they are files in `secrets/`.
 */
export function renderEnvExample(spec: DeploymentSpec): string {
  return printEnvFile(envExampleEntries(spec), {
    header: [
      ...generatedHeader(BUNDLE_PATHS.envExample),
      '',
      'Copy to .env to override a value on this host; every value below is already the default.',
      `Secrets are NOT set here: each one is a file in ${BUNDLE_PATHS.secretsDir}/ (mode 0600), created by`,
      '`messenger-stack secrets` and read by the containers from /secrets.',
      '',
      'Coming from the original service? Its other variables are spec fields now, rendered into',
      `the files: SERVICE_NAME is serviceName (${spec.serviceName}), DOMAIN is serverName (${spec.serverName}),`,
      `ELEMENT_BASE_URL and LIVEKIT_URL follow from the hosts (${deriveValues(spec).matrixHost}); POSTGRES_PASSWORD,`,
      'SYNAPSE_SECRET_KEY, SYNAPSE_REGISTRATION_SECRET, LIVEKIT_API_SECRET and REDIS_PASSWORD are',
      `files in ${BUNDLE_PATHS.secretsDir}/; LIVEKIT_API_KEY is livekit.keyName (${spec.livekit.keyName}).`,
      `CONTAINER_USER_UID/GID are containerUser (${spec.containerUser.uid}:${spec.containerUser.gid}), written into the compose files:`,
      'no variable, in .env or the environment, can make a container run as root.',
    ],
  })
}
