import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DeploymentSpecSchema, type DeploymentSpec, type DeploymentSpecDocument } from '../src/index.js'

/** Absolute path of a file, from the repository root. */
export const repoPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

/** Text of a file, from the repository root. */
export const repoFile = (path: string): string => readFileSync(repoPath(path), 'utf8')

/**
 * The deployment examples: every `examples/<name>/` holding a `deployment.yaml` and no
 * `package.json` (those are the tool examples, workspace packages with their own tests). A new
 * example folder is picked up by every test that iterates them.
 */
export const EXAMPLES: readonly string[] = readdirSync(repoPath('examples'))
  .filter((name) => existsSync(repoPath(`examples/${name}/deployment.yaml`)) && !existsSync(repoPath(`examples/${name}/package.json`)))
  .sort()

const STANDALONE: DeploymentSpecDocument = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }

/**
 * A standalone spec (Let's Encrypt) plus `extra`, parsed by zod alone: defaults applied, the
 * cross-field checks not run, so tests can build specs the checks would refuse.
 */
export const spec = (extra: Partial<DeploymentSpecDocument> = {}): DeploymentSpec => DeploymentSpecSchema.parse({ ...STANDALONE, ...extra })

/** A microservice spec plus `extra`, parsed like {@link spec}. */
export const micro = (extra: Partial<DeploymentSpecDocument> = {}): DeploymentSpec =>
  spec({ mode: 'microservice', tls: undefined, ...extra })
