// `messenger-stack secrets --kubernetes`: the Secret the Kubernetes manifests name, written into
// the (git-ignored, 0700) secrets folder with mode 0600, holding exactly the files the pods mount;
// the bundle itself never holds a value.
import { copyFileSync, readFileSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { bundleGitignore } from '@messenger-stack/config-schema'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { renderAll } from '@messenger-stack/renderers'
import { describe, expect, it } from 'vitest'
import { run, tempDir } from './_helpers.js'

// yaml is a dependency of config-schema, not of the CLI: resolve it from there.
const { parse, parseAllDocuments } = createRequire(new URL('../../config-schema/package.json', import.meta.url))('yaml') as {
  parse: (text: string) => unknown
  parseAllDocuments: (text: string) => { toJS(): unknown }[]
}

const EXAMPLE = new URL('../../../examples/kubernetes/deployment.yaml', import.meta.url)

describe('secrets --kubernetes', () => {
  it('writes secrets/kubernetes-secret.yaml (0600, git-ignored) with every file the pods mount, and nothing else', async () => {
    const dir = tempDir()
    copyFileSync(EXAMPLE, join(dir, 'deployment.yaml'))
    const result = await run(['secrets', 'secrets', '--spec', 'deployment.yaml', '--kubernetes'], { cwd: dir })
    expect(result.stderr).not.toMatch(/error/i)
    expect(result.code).toBe(0)
    const path = join(dir, 'secrets', 'kubernetes-secret.yaml')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(bundleGitignore()).toMatch(/^\/?secrets\/?$/m)

    const secret = parse(readFileSync(path, 'utf8')) as {
      kind: string
      metadata: { name: string; namespace: string }
      data: Record<string, string>
    }
    expect(secret.kind).toBe('Secret')
    // Each value is the file of the secrets folder, byte for byte.
    for (const [name, value] of Object.entries(secret.data))
      expect(Buffer.from(value, 'base64').toString('utf8'), name).toBe(readFileSync(join(dir, 'secrets', name), 'utf8'))

    // The keys are exactly those the rendered pods take from the Secret of that name and namespace.
    const spec = await loadDeploymentSpec(join(dir, 'deployment.yaml'))
    const referenced = new Set<string>()
    for (const file of renderAll(spec).filter((candidate) => candidate.path.startsWith('kubernetes/')))
      for (const document of parseAllDocuments(file.content)) {
        const object = document.toJS() as {
          kind?: string
          metadata?: { namespace?: string }
          spec?: { template?: { spec?: { volumes?: { secret?: { secretName: string; items: { key: string }[] } }[] } } }
        }
        for (const volume of object?.spec?.template?.spec?.volumes ?? []) {
          if (volume.secret === undefined) continue
          expect(volume.secret.secretName).toBe(secret.metadata.name)
          expect(object.metadata?.namespace).toBe(secret.metadata.namespace)
          for (const item of volume.secret.items) referenced.add(item.key)
        }
      }
    expect(Object.keys(secret.data).sort()).toEqual([...referenced].sort())
    // The manifests never hold a value.
    for (const file of renderAll(spec))
      for (const value of Object.values(secret.data))
        expect(file.content.includes(Buffer.from(value, 'base64').toString('utf8').trim()), file.path).toBe(false)
  })

  it('needs the spec', async () => {
    const dir = tempDir()
    const result = await run(['secrets', 'secrets', '--kubernetes'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--spec')
  })
})
