// Test support for the Kubernetes printer: the Kubernetes examples, their compose twins, and a
// multi-document YAML reader.
import { createRequire } from 'node:module'
import { parseDeploymentSpec, type DeploymentSpec } from '@messenger-stack/config-schema'
import { renderAll } from '../src/render-all.js'
import type { RenderedFile } from '../src/rendered-file.js'
import { EXAMPLES, exampleInput, exampleSpec } from './_bundle-support.js'

// yaml is a dependency of config-schema, not of renderers: resolve it from there.
const yaml = createRequire(new URL('../../config-schema/package.json', import.meta.url))('yaml') as {
  parseAllDocuments: (text: string, options?: { version?: '1.1' | '1.2'; uniqueKeys?: boolean }) => { toJS(): unknown; errors: unknown[] }[]
}

/** A Kubernetes object as read back from a manifest. */
export type Manifest = {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; [key: string]: any }
  [key: string]: any
}

/** The examples with `target: kubernetes`. */
export const KUBERNETES_EXAMPLES: readonly string[] = EXAMPLES.filter((name) => exampleSpec(name).target === 'kubernetes')

/** Every object of every manifest file of a bundle (kustomization.yaml aside), in file order. */
export function manifestsOf(files: readonly RenderedFile[]): Manifest[] {
  return files
    .filter((file) => file.path.startsWith('kubernetes/') && !file.path.endsWith('/kustomization.yaml'))
    .flatMap((file) =>
      yaml.parseAllDocuments(file.content, { uniqueKeys: true }).map((document) => {
        if (document.errors.length > 0) throw new Error(`${file.path}: ${String(document.errors[0])}`)
        return document.toJS() as Manifest
      }),
    )
}

/**
 * The same spec rendered for compose: the bundle whose files the ConfigMaps must hold. Without
 * colours, which only compose has (with lk-jwt-service per colour, LiveKit's webhooks would go
 * through the gateway: the one target-dependent line of the configuration files).
 */
export function composeTwin(input: unknown): DeploymentSpec {
  const spec = input as Record<string, unknown>
  return parseDeploymentSpec({ ...spec, target: 'compose', gateway: { ...(spec.gateway as object), colourSwitched: [] } })
}

/** An example's input, its spec, its rendered files and their objects. */
export function kubernetesExample(name: string) {
  const input = exampleInput(name)
  const spec = parseDeploymentSpec(input)
  const files = renderAll(spec)
  return { input, spec, files, objects: manifestsOf(files) }
}

/** The pod templates of the StatefulSets and Deployments among objects, with the controller's name. */
export function podTemplates(objects: readonly Manifest[]): { name: string; kind: string; template: Manifest['spec'] }[] {
  return objects
    .filter((object) => object.kind === 'StatefulSet' || object.kind === 'Deployment')
    .map((object) => ({ name: object.metadata.name, kind: object.kind, template: object.spec.template }))
}
