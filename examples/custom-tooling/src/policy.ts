import { type DeploymentSpec, validateHomeserver } from '@messenger-stack/config-schema'
import { renderHomeserver } from '@messenger-stack/renderers'

/** What this (imaginary) company requires of every homeserver it runs. */
export interface HomeserverPolicy {
  /** Address shown to users when something goes wrong. */
  readonly adminContact: string
  /** How long messages are kept, such as "180d". */
  readonly maxLifetime: string
}

/**
 * Renders `homeserver.yaml` with the company policy added as Synapse keys through
 * `synapse.extraConfig`: messenger-stack refuses keys it renders itself, merges the rest last,
 * and the result is checked with the lenient homeserver schema before it is returned.
 */
export function renderWithPolicy(spec: DeploymentSpec, policy: HomeserverPolicy): string {
  const withPolicy: DeploymentSpec = {
    ...spec,
    synapse: {
      ...spec.synapse,
      extraConfig: {
        ...spec.synapse.extraConfig,
        admin_contact: `mailto:${policy.adminContact}`,
        retention: { enabled: true, default_policy: { max_lifetime: policy.maxLifetime } },
      },
    },
  }
  const text = renderHomeserver(withPolicy)
  const check = validateHomeserver(text)
  if (!check.success) throw new Error(`the policy broke homeserver.yaml: ${check.issues.map((issue) => issue.message).join(' ')}`)
  return text
}
