import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { secretFilesRead, type DeploymentSpec } from '@messenger-stack/config-schema'
import { toYaml } from '@messenger-stack/config-schema/formats'
import { writeFileAtomic } from '@messenger-stack/config-schema/node'
import { kubernetesNamespace, kubernetesSecretName } from '@messenger-stack/renderers'

/**
 * Where `messenger-stack secrets --kubernetes` writes the Secret manifest: inside the secrets
 * folder, so that it is git-ignored (the bundle's .gitignore leaves `secrets/` out) and mode 0600
 * in a 0700 folder like every other secret file.
 */
export const KUBERNETES_SECRET_FILE = 'kubernetes-secret.yaml'

/**
 * The Secret the Kubernetes manifests name (`<serviceName>-secrets`): one key per file of the
 * secrets folder that a workload of the spec mounts, base64 as the API wants. Pure; the one
 * output of messenger-stack that holds secret values, so it is never part of a bundle.
 */
export function kubernetesSecretManifest(spec: DeploymentSpec, files: ReadonlyMap<string, string>): string {
  const data: Record<string, string> = {}
  for (const [name, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1)))
    data[name] = Buffer.from(content, 'utf8').toString('base64')
  return toYaml(
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: kubernetesSecretName(spec), namespace: kubernetesNamespace(spec) },
      type: 'Opaque',
      data,
    },
    {
      header: [
        `${KUBERNETES_SECRET_FILE}: written by \`messenger-stack secrets --kubernetes\` from the secrets folder.`,
        'It HOLDS SECRET VALUES: never commit it. Apply it with `kubectl apply -f`, or use',
        'external-secrets / sealed-secrets instead (docs/kubernetes.md).',
      ],
    },
  )
}

/**
 * Writes the Secret manifest of the spec into the secrets folder (atomically, mode 0600) from
 * the files its workloads read. Returns the manifest's path and the file names it holds.
 *
 * @throws Error when a file the workloads read is missing (run without --kubernetes first).
 */
export async function writeKubernetesSecret(
  dir: string,
  spec: DeploymentSpec,
  owner?: { readonly uid: number; readonly gid: number },
): Promise<{ path: string; names: string[] }> {
  const names = secretFilesRead(spec)
  const files = new Map<string, string>()
  for (const name of names) files.set(name, await readFile(join(dir, name), 'utf8'))
  const path = join(dir, KUBERNETES_SECRET_FILE)
  await writeFileAtomic(path, kubernetesSecretManifest(spec, files), 0o600, owner === undefined ? {} : { owner })
  return { path, names }
}
