import type { DeploymentSpec, Workload } from '@messenger-stack/config-schema'
import type { ConfigBundle, ConfigFile } from './_config-bundle.js'
import { type KubernetesObject, objectName, serviceMeta } from './_objects.js'

/** The ConfigMap key of a bundle file: its name after the last `/`. */
export function configKey(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/**
 * Every bundle file a workload mounts, keyed by file name.
 *
 * @throws Error when two of its files share a name (one ConfigMap cannot hold both).
 */
export function workloadConfigFiles(workload: Workload, bundle: ConfigBundle): ConfigFile[] {
  // Loops rather than forEach and some with closures: this runs for every workload of a render.
  const files: ConfigFile[] = []
  const mounts = workload.mounts
  for (let index = 0; index < mounts.length; index++) {
    const mount = mounts[index]!
    if (mount.kind !== 'config') continue
    const mounted = bundle.mounted(mount.source)
    for (let at = 0; at < mounted.length; at++) {
      const file = mounted[at]!
      const key = bundle.key(file.path)
      for (let other = 0; other < files.length; other++)
        if (files[other]!.key === key) throw new Error(`${workload.service} mounts two files named ${key}.`)
      files.push({ key, path: file.path, content: file.content, mode: file.mode, mount: index })
    }
  }
  return files
}

/** The name of a workload's ConfigMap of files: `messenger-synapse-files`. */
export function configMapName(spec: DeploymentSpec, workload: Workload): string {
  return `${objectName(spec, workload)}-files`
}

/** The name of a workload's ConfigMap of environment variables (from its env file): `messenger-lk-jwt-service-env`. */
export function envConfigMapName(spec: DeploymentSpec, workload: Workload): string {
  return `${objectName(spec, workload)}-env`
}

/**
 * The variables of a rendered env file (`KEY=value` lines; comments and blank lines skipped),
 * in file order. The file holds no quoting: compose reads it literally, and so does this.
 */
export function parseEnvFile(content: string): [string, string][] {
  const entries: [string, string][] = []
  for (const line of content.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const equals = line.indexOf('=')
    if (equals <= 0) throw new Error(`Not a KEY=value line in an env file: ${line}`)
    entries.push([line.slice(0, equals), line.slice(equals + 1)])
  }
  return entries
}

/**
 * The ConfigMaps of a workload: its mounted files (`files`, from {@link workloadConfigFiles}: the
 * bundle's bytes under their file names), and the variables of its env file when it has one.
 * Empty when it mounts no file.
 */
export function workloadConfigMaps(
  spec: DeploymentSpec,
  workload: Workload,
  files: readonly ConfigFile[],
  bundle: ConfigBundle,
): KubernetesObject[] {
  const maps: KubernetesObject[] = []
  if (files.length > 0) {
    maps.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: serviceMeta(spec, workload, configMapName(spec, workload)),
      data: fileData(files),
    })
  }
  if (workload.environmentFile !== undefined) {
    const file = bundle.get(workload.environmentFile)
    if (file === undefined) throw new Error(`The bundle has no env file ${workload.environmentFile}.`)
    maps.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: serviceMeta(spec, workload, envConfigMapName(spec, workload)),
      data: envData(parseEnvFile(file.content)),
    })
  }
  return maps
}

// Loops rather than `Object.fromEntries`, which goes through the iterator protocol for each entry
// (measured: a tenth of the time spent building the manifests of kubernetes-minimal).

/** A ConfigMap's data of files: each file's content under its key, in file order. */
function fileData(files: readonly ConfigFile[]): Record<string, string> {
  const data: Record<string, string> = {}
  for (let index = 0; index < files.length; index++) setData(data, files[index]!.key, files[index]!.content)
  return data
}

/** A ConfigMap's data of env variables, in file order (a later value of a name wins, as in `Object.fromEntries`). */
function envData(entries: readonly [string, string][]): Record<string, string> {
  const data: Record<string, string> = {}
  for (let index = 0; index < entries.length; index++) setData(data, entries[index]![0], entries[index]![1])
  return data
}

/** Sets an own data property, as `Object.fromEntries` does: `__proto__` assigned would set the prototype instead. */
function setData(data: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(data, key, { value, writable: true, enumerable: true, configurable: true })
  else data[key] = value
}
