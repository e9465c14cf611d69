import * as z from 'zod'
import manifest from '../package.json' with { type: 'json' }
import { DeploymentSpecSchema } from './deployment/spec.js'
import { SecretsSchema } from './secret-files/secrets.js'

/** A JSON Schema document (draft 2020-12) as a plain object. */
export type JsonSchemaDocument = Record<string, unknown>

/** Where the committed schemas live, relative to the config-schema package. */
export const JSON_SCHEMA_FILES = {
  deploymentSpec: 'schema/deployment-spec.schema.json',
  secrets: 'schema/secrets.schema.json',
} as const

/**
 * Where this version's deployment-spec JSON Schema is published, for `$schema` references
 * (`messenger-stack init` writes it when no local copy is found). It names the package
 * version, so an editor keeps validating against the schema the spec was written for.
 */
export const DEPLOYMENT_SPEC_SCHEMA_URL: string = `https://unpkg.com/@messenger-stack/config-schema@${manifest.version}/${JSON_SCHEMA_FILES.deploymentSpec}`

/**
 * JSON Schema (draft 2020-12) of what users write in a deployment spec: defaulted fields
 * are optional and carry their `default`, unknown keys are refused
 * (`additionalProperties: false`). Editors use it through
 * `# yaml-language-server: $schema=...`.
 *
 * Cross-field rules (port clashes, TLS per mode, blue/green, TURN ports, node IP) and the
 * ban of the `latest` image tag are zod refinements and checks, not JSON Schema: a document
 * this schema accepts can still be refused by {@link parseDeploymentSpec}.
 *
 * @see https://json-schema.org/draft/2020-12
 */
export function deploymentSpecJsonSchema(): JsonSchemaDocument {
  return z.toJSONSchema(DeploymentSpecSchema, { io: 'input' }) as JsonSchemaDocument
}

/** JSON Schema (draft 2020-12) of the secrets object (one file per secret in the secrets folder). */
export function secretsJsonSchema(): JsonSchemaDocument {
  return z.toJSONSchema(SecretsSchema, { io: 'input' }) as JsonSchemaDocument
}
