import { readFile } from 'node:fs/promises'
import { SpecError } from './errors/issue.js'
import type { DeploymentSpec } from './deployment/spec.js'
import { type LoadSpecOptions, safeLoadDeploymentSpecText } from './load.js'
import type { SpecParseResult } from './parse.js'

/**
 * Reads a spec file without throwing for spec problems. I/O errors (missing file,
 * permissions) still reject, so callers can tell "cannot read" from "invalid".
 */
export async function safeLoadDeploymentSpec(file: string, options: LoadSpecOptions = {}): Promise<SpecParseResult> {
  return safeLoadDeploymentSpecText(await readFile(file, 'utf8'), file, options)
}

/**
 * Reads and validates a spec file: `.yaml`/`.yml` (YAML 1.1), `.json` or `.toml`.
 *
 * @throws {SpecError} when the spec is invalid; the file's I/O error when it cannot be read.
 * @example
 * const spec = await loadDeploymentSpec('deploy.yaml')
 */
export async function loadDeploymentSpec(file: string, options: LoadSpecOptions = {}): Promise<DeploymentSpec> {
  const result = await safeLoadDeploymentSpec(file, options)
  if (!result.success) throw new SpecError(result.issues)
  return result.spec
}
