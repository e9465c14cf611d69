import type { IssueCode, IssuePath } from './issue.js'

const HOST = 'write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org".'
const PORT = 'use a port number from 1 to 65535 that nothing else on the host uses.'
const ID = 'use the numeric ID of an unprivileged user or group, such as 1000 (`id -u` and `id -g` print yours).'
const IMAGE = 'pin a version tag, such as "docker.io/library/redis:7.4-alpine"; never "latest" or no tag.'
const PATH = 'use a path of lowercase segments such as "/livekit/jwt", without a trailing slash.'

/** Hints for field values that fail their format or range, by field name. */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  serverName: HOST,
  matrixHost: HOST,
  host: HOST,
  domain: HOST,
  allowList: HOST,
  uid: ID,
  gid: ID,
  httpPort: PORT,
  jwtPort: PORT,
  tcpPort: PORT,
  udpPort: 'use a port number from 1 to 65535 that nothing else on the host uses (0 turns TURN/UDP off where allowed).',
  tlsPort: 'use a port number from 1 to 65535, or 0 to turn TURN/TLS off.',
  start: PORT,
  end: PORT,
  serviceName: 'use 2 to 32 lowercase letters, digits or "-", such as "messenger".',
  keyName: 'use an identifier such as "messenger" (the secret itself lives in the secrets folder).',
  jwtPath: PATH,
  sfuPath: PATH,
  maxUploadSize: 'write a size such as "50M", "512K" or "1G".',
  maxMemory: 'write a size such as "64mb" or "1gb".',
  cacheFactor: 'use a number from 0.05 to 20, or leave it out to use the resource profile.',
  email: 'use an address that receives mail, such as "admin@example.org".',
  certificate: 'use the absolute host path of the PEM file, such as "/etc/ssl/matrix/fullchain.pem".',
  key: 'use the absolute host path of the PEM file, such as "/etc/ssl/matrix/privkey.pem".',
  brand: 'use one line of text of at most 200 characters.',
  network: 'use the name of the gateway\'s Docker network, such as "nginx-network".',
  activeColorPlaceholder: 'use a placeholder of the form "${ACTIVE_COLOR}".',
  nodeIp: 'use the public IPv4 address of the host, such as "203.0.113.10", or leave it out to discover it over STUN.',
  database: 'use a lowercase SQL identifier such as "synapse".',
  user: 'use a lowercase SQL identifier such as "synapse".',
  $schema: 'use a path or URL of at most 500 characters, or remove it.',
}

/** Hints for missing required fields, by field name. */
const MISSING_HINTS: Readonly<Record<string, string>> = {
  serverName: 'add serverName, the domain of your Matrix IDs, such as "serverName: example.org".',
  email: 'add the address Let\'s Encrypt sends expiry notices to, such as "email: admin@example.org".',
}

const IMAGE_SECTION = 'images'

/**
 * A hint specific to the field at `path` for format, range and missing-field issues, such
 * as the form of a host name; undefined when the generic hint is the best there is.
 */
export function fieldHint(path: IssuePath, code: IssueCode): string | undefined {
  const named = [...path].reverse().find((part): part is string => typeof part === 'string')
  if (code === 'missing_field') return named === undefined ? undefined : MISSING_HINTS[named]
  if (code !== 'invalid_format' && code !== 'out_of_range') return undefined
  if (path[0] === IMAGE_SECTION && path.length === 2) return IMAGE
  if (path[0] === 'postgres' && path[1] === 'extraSettings') {
    return 'write the setting as a number, true/false, or text without quotes, backslashes or line breaks, such as "4MB".'
  }
  return named === undefined ? undefined : FIELD_HINTS[named]
}
