/**
 * The real-stack test: `messenger-stack init` + `render` write a bundle; real PostgreSQL 17,
 * Redis, Synapse, LiveKit, lk-jwt-service and nginx boot from exactly those files inside one
 * private mount+network+pid namespace; a matrix-js-sdk client, a LiveKit signalling client and
 * headless Chromium (call media, Element Call) then exercise the rendered nginx routes. Every
 * step is asserted here.
 */
import { spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BUNDLE_PATHS } from '@messenger-stack/config-schema'
import { writeImageStandIns } from './harness/image-stand-ins.js'
import {
  MEDIA_NODE_IP,
  SMTP_HOST,
  TEST_GID,
  TEST_SERVER_NAME,
  TEST_TURN_DOMAIN,
  TEST_UID,
  hostsFile,
  initAndRender,
  workersTestSpec,
} from './harness/prepare.js'
import { makeTestCertificates } from './harness/tls.js'
import { keepOnlyArtifacts, newWorkFolder } from './harness/work-folders.js'
import { requireRealStackTools } from './harness/tools.js'
import { STEPS, type RunnerPlan, type RunnerResults } from './runner/plan.js'

const repoRoot = resolve(import.meta.dirname, '../..')
// The main scenario, then the workers bundle's own stack.
const RUNNER_LIMIT_MS = 600_000

let workDir = ''
let renderOutput: string[] = []
let renderError: Error | undefined
let results: RunnerResults | undefined
let runnerOutput = ''
let anyFailure = false

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

function runInNamespace(plan: RunnerPlan, hosts: string, tsxLoader: string): Promise<string> {
  const runner = join(repoRoot, 'e2e/real-stack/runner/main.ts')
  const planFile = join(plan.workDir, 'plan.json')
  writeFileSync(planFile, JSON.stringify(plan, null, 2))
  // Loopback, and a veth pair whose first end carries the address LiveKit advertises.
  const script = [
    'set -e',
    'ip link set lo up',
    'ip link add veth0 type veth peer name veth1',
    `ip addr add ${MEDIA_NODE_IP}/24 dev veth0`,
    'ip link set veth0 up',
    'ip link set veth1 up',
    'mount --bind "$0" /etc/hosts',
    'exec "$@"',
  ].join('; ')
  const child = spawn(
    plan.tools.unshare,
    [
      '--mount',
      '--net',
      '--pid',
      '--fork',
      '--kill-child',
      '--mount-proc',
      '/bin/sh',
      '-c',
      script,
      hosts,
      process.execPath,
      '--conditions=@messenger-stack/source',
      '--import',
      tsxLoader,
      runner,
      planFile,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', NODE_EXTRA_CA_CERTS: plan.certs.caCert, HOME: '/root' },
    },
  )
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  return new Promise((done) => {
    const timer = setTimeout(() => {
      out += `\n[test] namespace runner killed after ${RUNNER_LIMIT_MS + 30_000} ms`
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* gone */
      }
    }, RUNNER_LIMIT_MS + 30_000)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      done(`${out}\n[test] runner exited with ${signal ?? code}`)
    })
  })
}

beforeAll(async () => {
  const tools = requireRealStackTools()
  const cliBin = join(repoRoot, 'packages/cli/bin/messenger-stack.cjs')
  if (!existsSync(join(repoRoot, 'packages/cli/dist/index.js'))) throw new Error('The CLI is not built: run `pnpm build` first.')
  const tsxLoader = join(repoRoot, 'node_modules/tsx/dist/esm/index.mjs')
  if (!existsSync(tsxLoader)) throw new Error(`tsx is missing (${tsxLoader}): run \`pnpm install\`.`)
  const work = newWorkFolder(tmpdir())
  workDir = work.dir
  if (work.removed.length > 0) console.log(`[real-stack] removed the work folders of earlier runs: ${work.removed.join(', ')}`)
  // One certificate for every name the test terminates TLS for: the public host, the TURN
  // domain (nginx terminates TLS for it too) and the SMTP sink (the test's mail provider).
  const certs = makeTestCertificates(tools.openssl, join(workDir, 'certs'), [TEST_SERVER_NAME, TEST_TURN_DOMAIN, SMTP_HOST])
  for (const f of [certs.cert, certs.key]) chownSync(f, TEST_UID, TEST_GID)
  chmodSync(certs.key, 0o600)
  const bundleDir = join(workDir, 'standalone')
  const microBundleDir = join(workDir, 'microservice')
  const workersBundleDir = join(workDir, 'workers')
  try {
    renderOutput = [
      ...(await initAndRender({ node: process.execPath, setpriv: tools.setpriv, cliBin, dir: bundleDir, mode: 'standalone', certs })),
      ...(await initAndRender({
        node: process.execPath,
        setpriv: tools.setpriv,
        cliBin,
        dir: microBundleDir,
        mode: 'microservice',
        certs,
      })),
      ...(await initAndRender({
        node: process.execPath,
        setpriv: tools.setpriv,
        cliBin,
        dir: workersBundleDir,
        mode: 'standalone',
        certs,
        spec: workersTestSpec(certs),
      })),
    ]
  } catch (err) {
    renderError = err as Error
    return
  }
  const standIns = writeImageStandIns(workDir, TEST_UID, TEST_GID, readFileSync(certs.caCert, 'utf8'), tools.nginx)
  const hosts = join(workDir, 'hosts')
  const composeFiles = [
    join(bundleDir, BUNDLE_PATHS.composeStandalone),
    ...[BUNDLE_PATHS.composeCore, BUNDLE_PATHS.composeBlue, BUNDLE_PATHS.composeGreen].map((f) => join(microBundleDir, f)),
    join(workersBundleDir, BUNDLE_PATHS.composeStandalone),
  ]
  writeFileSync(hosts, hostsFile(composeFiles))
  const plan: RunnerPlan = {
    repoRoot,
    workDir,
    bundleDir,
    microBundleDir,
    workersBundleDir,
    specFile: join(bundleDir, 'deployment.yaml'),
    microSpecFile: join(microBundleDir, 'deployment.yaml'),
    workersSpecFile: join(workersBundleDir, 'deployment.yaml'),
    tools,
    standIns,
    certs,
    nodePath: process.execPath,
    tsxLoader,
    cliBin,
    resultsFile: join(workDir, 'results.json'),
    timeLimitMs: RUNNER_LIMIT_MS,
    onlySteps: process.env.MESSENGER_STACK_E2E_STEPS,
  }
  runnerOutput = await runInNamespace(plan, hosts, tsxLoader)
  writeFileSync(join(workDir, 'runner.log'), runnerOutput)
  if (existsSync(plan.resultsFile)) results = JSON.parse(readFileSync(plan.resultsFile, 'utf8')) as RunnerResults
}, RUNNER_LIMIT_MS + 90_000)

afterAll(() => {
  if (anyFailure && workDir !== '') {
    const logs = Object.entries(results?.logs ?? {}).map(([name, file]) => `----- ${name} (${file}) -----\n${tail(file)}`)
    console.error(
      `[real-stack] a step failed; work folder kept: ${workDir}\n----- runner -----\n${runnerOutput.trimEnd().split('\n').slice(-60).join('\n')}\n${logs.join('\n')}`,
    )
  } else if (workDir !== '' && process.env.MESSENGER_STACK_KEEP_E2E === undefined) {
    // Everything but the artifacts (received video frames, screenshots); the next run removes those.
    keepOnlyArtifacts(workDir)
  }
  if (workDir !== '' && existsSync(join(workDir, 'artifacts')))
    console.log(
      `[real-stack] artifacts: ${readdirSync(join(workDir, 'artifacts'))
        .map((f) => join(workDir, 'artifacts', f))
        .join(', ')}`,
    )
})

describe('the rendered bundle runs', () => {
  it('messenger-stack init + secrets + render write both bundles', () => {
    if (renderError !== undefined) anyFailure = true
    expect(renderError?.message).toBeUndefined()
    expect(renderOutput.join('\n')).toContain('render')
  })

  it.each(STEPS)('%s', (name) => {
    const step = results?.steps[name]
    if (step?.ok !== true) anyFailure = true
    expect(renderError, 'the bundle was not rendered').toBeUndefined()
    expect(results?.fatal, 'the namespace runner failed').toBeUndefined()
    expect(step, `no result for this step (runner output tail:\n${runnerOutput.slice(-2000)})`).toBeDefined()
    expect(step!.ok, `${step!.error}\ndetails: ${JSON.stringify(step!.details, null, 2).slice(0, 3000)}`).toBe(true)
    if (name === 'resources: resident memory of the small profile' || name === 'workers: resident memory per Synapse process')
      console.log(step!.details.table)
  })
})
