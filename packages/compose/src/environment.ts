import type { DeploymentSpec } from '@messenger-stack/config-schema'
import { GID_VARIABLE, UID_VARIABLE } from './_service.js'

/** A variable the compose files read from the environment or `.env`. */
export interface ComposeEnvironmentVariable {
  /** Variable name, as in the original service. */
  readonly name: string
  /** One sentence for `.env.example`. */
  readonly description: string
  /** The value used when the variable is unset (from the spec). */
  readonly default: string
}

/**
 * Every `${VAR}` the compose files read, with description and default, for `.env.example`.
 * Only the container user: every other setting is rendered into the files from the spec,
 * and secrets are files under `./secrets`, never variables.
 */
export function composeEnvironmentVariables(spec: DeploymentSpec): ComposeEnvironmentVariable[] {
  return [
    {
      name: UID_VARIABLE,
      description: 'Numeric user ID every container runs as. Must not be 0 (root); it must own ./data and ./secrets.',
      default: String(spec.containerUser.uid),
    },
    {
      name: GID_VARIABLE,
      description: 'Numeric group ID every container runs as. Must not be 0 (root).',
      default: String(spec.containerUser.gid),
    },
  ]
}
