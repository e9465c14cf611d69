import type { DeploymentSpec } from '@messenger-stack/config-schema'
import { type KubernetesObject, kubernetesNamespace } from './_objects.js'

/**
 * The namespace, with Pod Security `restricted` enforced, warned and audited. `warn` matters:
 * `enforce` only refuses Pods, so a Deployment whose pods would be refused is only warned about
 * when it is applied.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */
export function namespaceObject(spec: DeploymentSpec): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: kubernetesNamespace(spec),
      labels: {
        'app.kubernetes.io/part-of': 'messenger-stack',
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'latest',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
    },
  }
}
