// The Kubernetes examples against real Kubernetes tooling: `kubectl kustomize` of the rendered
// kubernetes/ folder (what `kubectl apply -k` applies), then ../shared/tools/k8s/k8s-validate.sh:
// kubeconform (strict, schemas from Kubernetes' OpenAPI document) and a real kube-apiserver
// (server-side strict dry-run apply, Pod Security restricted, warnings as errors). Broken
// manifests must be refused, so the check cannot pass silently. Tools: `.ci/provision.sh`.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { renderAll } from '../src/render-all.js'
import { exampleSpec, provisionedEnv, requireTool } from './_bundle-support.js'
import { KUBERNETES_EXAMPLES } from './_kubernetes-support.js'

const validate = requireTool('k8s-validate')
const kubectl = requireTool('kubectl')
const toolsCache = process.env.K8S_TOOLS_CACHE ?? provisionedEnv().K8S_TOOLS_CACHE ?? '/var/cache/messenger-stack/k8s-tools'
const VALIDATE_LOCK = join(tmpdir(), 'messenger-stack-k8s-validate.lock')
const work = mkdtempSync(join(tmpdir(), 'ms-k8s-validate-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/**
 * Runs k8s-validate.sh on a folder of manifests; bounded. The tools are cached and a run takes
 * ~10 s on a quiet machine, but starting etcd and kube-apiserver took over 120 s on a loaded one.
 */
function runValidate(dir: string): { status: number | null; output: string } {
  // The API server and etcd listen on fixed ports (6443, 2379, 2380): two runs at once on one
  // machine (test processes of two checkouts, a bench) would apply to each other's server, so
  // runs take a machine-wide lock, waited for within the timeout.
  const run = spawnSync('flock', ['--wait', '280', VALIDATE_LOCK, 'bash', validate, dir], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, K8S_TOOLS_CACHE: toolsCache },
  })
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` }
}

/** Writes an example's bundle and builds its kustomization into `<dir>/built/all.yaml`. */
function buildExample(name: string): string {
  const dir = join(work, name)
  for (const file of renderAll(exampleSpec(name))) {
    mkdirSync(dirname(join(dir, 'bundle', file.path)), { recursive: true })
    writeFileSync(join(dir, 'bundle', file.path), file.content)
  }
  const built = spawnSync(kubectl, ['kustomize', join(dir, 'bundle', 'kubernetes')], { encoding: 'utf8', timeout: 60_000 })
  expect(built.stderr).toBe('')
  expect(built.status).toBe(0)
  mkdirSync(join(dir, 'built'))
  writeFileSync(join(dir, 'built', 'all.yaml'), built.stdout)
  return built.stdout
}

describe.each(KUBERNETES_EXAMPLES)('examples/%s', (name) => {
  it('kustomize builds it and k8s-validate.sh accepts every object (kubeconform and a real API server)', () => {
    const built = buildExample(name)
    const { status, output } = runValidate(join(work, name, 'built'))
    expect(output).toContain('k8s-validate: all manifests accepted')
    expect(status).toBe(0)
    // Every object went through the API server's dry run.
    const objects = built.split(/^---$/m).filter((document) => /^kind: /m.test(document)).length
    expect(output.match(/serverside-applied \(server dry run\)/g)?.length).toBe(objects)
  }, 700_000)
})

describe('k8s-validate.sh refuses broken manifests', () => {
  const namespace = [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    '  name: broken',
    '  labels:',
    '    pod-security.kubernetes.io/enforce: restricted',
    '    pod-security.kubernetes.io/warn: restricted',
  ]
  const deployment = (securityContext: string[], extra: string[] = []) => [
    ...namespace,
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: broken',
    '  namespace: broken',
    'spec:',
    '  selector:',
    '    matchLabels:',
    '      app: broken',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: broken',
    '    spec:',
    '      containers:',
    '        - name: broken',
    '          image: registry.example/broken:1',
    ...extra,
    '          securityContext:',
    ...securityContext,
  ]
  // Everything `restricted` asks for, so that only the one defect below is wrong.
  const hardened = [
    '            runAsNonRoot: true',
    '            runAsUser: 1000',
    '            allowPrivilegeEscalation: false',
    '            capabilities:',
    '              drop: [ALL]',
    '            seccompProfile:',
    '              type: RuntimeDefault',
  ]

  function check(label: string, lines: string[]) {
    const dir = join(work, label)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'broken.yaml'), `${lines.join('\n')}\n`)
    return runValidate(dir)
  }

  it('accepts the hardened deployment the broken ones start from (the fixture itself is valid)', () => {
    const { status, output } = check('valid', deployment(hardened))
    expect(output).toContain('k8s-validate: all manifests accepted')
    expect(status).toBe(0)
  }, 700_000)

  it('refuses a privileged container (Pod Security restricted, at the API server)', () => {
    // (privileged cannot go with allowPrivilegeEscalation: false, which field validation refuses first)
    const privileged = [...hardened.filter((line) => !line.includes('allowPrivilegeEscalation')), '            privileged: true']
    const { status, output } = check('privileged', deployment(privileged))
    expect(status).not.toBe(0)
    expect(output).toMatch(/would violate PodSecurity "restricted:[^"]*": privileged/)
    expect(output).not.toContain('all manifests accepted')
  }, 700_000)

  it('refuses an unknown field (kubeconform strict)', () => {
    const { status, output } = check('unknown-field', deployment(hardened, ['          readOnlyRootFilesytem: true']))
    expect(status).not.toBe(0)
    expect(output).toMatch(/readOnlyRootFilesytem/)
    expect(output).not.toContain('all manifests accepted')
  }, 700_000)
})
