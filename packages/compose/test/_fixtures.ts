import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseDeploymentSpec, type DeploymentSpec, type DeploymentSpecInput } from '@messenger-stack/config-schema'
import { parse } from 'yaml'

const examplesDir = fileURLToPath(new URL('../../../examples/', import.meta.url))

/**
 * The deployment examples with compose files: every `examples/<name>/` holding a `deployment.yaml`
 * and no `package.json` (those are the tool examples, workspace packages with their own tests),
 * whose target is compose (a Kubernetes bundle has no compose file). A new example folder is
 * picked up by every test that iterates them.
 */
export const EXAMPLES: readonly string[] = readdirSync(examplesDir)
  .filter((name) => existsSync(`${examplesDir}${name}/deployment.yaml`) && !existsSync(`${examplesDir}${name}/package.json`))
  .filter((name) => example(name).target === 'compose')
  .sort()

/** Parses `examples/<name>/deployment.yaml`. */
export function example(name: string): DeploymentSpec {
  const path = `${examplesDir}${name}/deployment.yaml`
  return parseDeploymentSpec(parse(readFileSync(path, 'utf8'), { version: '1.1' }))
}

/** A minimal valid spec of each mode, with overrides. */
export function spec(overrides: Partial<DeploymentSpecInput> = {}): DeploymentSpec {
  const base: DeploymentSpecInput =
    overrides.mode === 'microservice'
      ? { serverName: 'example.org', mode: 'microservice' }
      : { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
  return parseDeploymentSpec({ ...base, ...overrides })
}

/** Parses a rendered compose file back (YAML 1.1, as docker-compose v1 reads it). */
export function parseCompose(text: string): ComposeDoc {
  return parse(text, { version: '1.1' }) as ComposeDoc
}

/** The parsed shape the tests walk. */
export interface ComposeDoc {
  services: Record<string, Record<string, unknown> & { image: string; user: string; ports?: string[]; volumes?: string[] }>
  networks: Record<string, { name: string; external?: boolean }>
  volumes?: Record<string, { name: string; external: boolean }>
}
