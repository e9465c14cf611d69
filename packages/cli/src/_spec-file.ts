import { existsSync } from 'node:fs'
import { relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEPLOYMENT_SPEC_SCHEMA_URL, type DeploymentSpecDocument } from '@messenger-stack/config-schema'
import { toYaml } from '@messenger-stack/config-schema/formats'

/** Where the spec's JSON Schema is published when no local copy is found (names the version). */
export const SCHEMA_URL = DEPLOYMENT_SPEC_SCHEMA_URL

/**
 * The `$schema` reference for a spec written into `dir`: the relative path of the
 * workspace's committed schema when this CLI runs from the repository (source or built),
 * otherwise {@link SCHEMA_URL}.
 */
export function schemaReference(dir: string): string {
  const candidates = ['../../config-schema/schema/deployment-spec.schema.json', '../../../config-schema/schema/deployment-spec.schema.json']
  for (const candidate of candidates) {
    let path: string
    try {
      path = fileURLToPath(new URL(candidate, import.meta.url))
    } catch {
      continue
    }
    // An npm install has config-schema beside the CLI too; only the repository's copy counts.
    if (existsSync(path) && !path.split(sep).includes('node_modules')) return relative(dir, path).split('\\').join('/')
  }
  return SCHEMA_URL
}

const COMMENTS: Record<string, string[]> = {
  serviceName: ['Name prefix of containers, volumes and the compose project (the original SERVICE_NAME).'],
  mode: ["'standalone': own nginx with Let's Encrypt. 'microservice': behind an existing nginx gateway (blue/green)."],
  serverName: [
    'The Matrix server name: the domain in user IDs such as @alice:<serverName>. It can never change later.',
    'Set matrixHost when the APIs are served from another host (delegation via .well-known).',
  ],
  containerUser: ['Every container runs as this user and group (never 0/root); it must be able to read secrets/.'],
  resources: ["Memory profile: 'small' (2 GB host), 'medium' (4 GB) or 'large'."],
  synapse: ["Synapse: registration 'disabled' (admins create users with `messenger-stack register-user`), 'token' or 'open'."],
  livekit: [
    'Audio/video calls (LiveKit SFU with built-in TURN, and the MatrixRTC authorisation service).',
    'Open its TCP/UDP ports in the firewall: the rendered DEPLOY.md lists them.',
  ],
  elementWeb: ['Element Web, the browser client.'],
  tls: ["TLS for standalone mode: Let's Encrypt (HTTP-01 on port 80), or certificateFiles: {certificate, key}."],
  gateway: ["The external nginx gateway's Docker network (microservice mode)."],
  postgres: ['PostgreSQL database and role of Synapse.'],
}

/**
 * The text of a commented `deployment.yaml`: a `yaml-language-server` `$schema` line first,
 * a short guide, and a comment above each top-level key.
 */
export function specFileText(input: DeploymentSpecDocument, schemaRef: string, guide: readonly string[]): string {
  return toYaml(input, { header: [`yaml-language-server: $schema=${schemaRef}`, ...guide], keyComments: COMMENTS })
}
