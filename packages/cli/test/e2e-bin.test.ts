import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MANIFEST_PATH } from '../src/index.js'
import { bin, bundleFile, requireBuild, type Spawned } from './_bin.js'
import { snapshotTree, tempDir } from './_helpers.js'

// Each test spawns the built command several times; a loaded machine needs more than 5 s.
describe('the built messenger-stack command', { timeout: 120_000 }, () => {
  it('init, secrets and render, three times each: same secrets byte for byte, same signing key, same bundle', () => {
    requireBuild()
    const dir = tempDir()
    const outputs: Spawned[] = []
    let secrets: Record<string, { content: string; mode: number }> | undefined
    let bundle: Record<string, { content: string; mode: number }> | undefined
    for (let i = 0; i < 3; i++) {
      outputs.push(bin(['init', 'site', '--server-name', 'example.org', '--uid', '1000', '--gid', '1000'], dir))
      outputs.push(bin(['secrets', 'site/secrets', '--spec', 'site/deployment.yaml'], dir))
      outputs.push(bin(['render', 'site/deployment.yaml', '--out', 'site', '--secrets', 'site/secrets', '--json'], dir))
      for (const output of outputs.slice(-3)) expect(output.code, output.stderr).toBe(0)
      const nowSecrets = snapshotTree(join(dir, 'site/secrets'))
      const nowBundle = snapshotTree(join(dir, 'site'))
      if (secrets === undefined) {
        secrets = nowSecrets
        bundle = nowBundle
      }
      expect(nowSecrets).toEqual(secrets)
      expect(nowBundle).toEqual(bundle)
    }
    const report = JSON.parse(outputs[2]!.stdout) as { ok: boolean; files: { path: string; status: string }[] }
    expect(report.ok).toBe(true)
    expect(report.files.some((f) => f.path.startsWith('secrets/'))).toBe(false)
    expect(Object.keys(secrets!).sort()).toContain('synapse_signing.key')
    expect(bin(['check', 'site/deployment.yaml', '--out', 'site'], dir).code).toBe(0)

    // Nothing leaked: no secret value in any output or rendered file.
    const values = Object.entries(secrets!).flatMap(([name, file]) =>
      ['synapse.pgpass', 'redis-auth.conf', 'livekit_keys.yaml'].includes(name) ? [] : [file.content.trim().split(' ').at(-1)!],
    )
    expect(values).toHaveLength(8)
    const errors = [
      bin(['render', 'site/deployment.yaml', '--out', 'site/deployment.yaml', '--secrets', 'site/secrets', '--json'], dir),
      bin(['diff', 'site/deployment.yaml', '--out', 'site'], dir),
      bin(['validate', 'site/deployment.yaml', '--json'], dir),
      bin(
        [
          'register-user',
          'alice',
          '--url',
          'http://127.0.0.1:9',
          '--secrets',
          'site/secrets',
          '--password-file',
          'site/secrets/redis_password',
        ],
        dir,
      ),
    ]
    expect(errors.map((e) => e.code)).toEqual([2, 0, 0, 2])
    for (const output of [...outputs, ...errors]) for (const value of values) expect(output.stdout + output.stderr).not.toContain(value)
    for (const [path, file] of Object.entries(bundle!)) {
      if (path.startsWith('secrets/')) continue
      for (const value of values) expect(file.content.includes(value), path).toBe(false)
    }
  })

  it('MESSENGER_STACK_TEST_FAIL_AFTER stops between files: every file old or new, the rest pending in the manifest', () => {
    requireBuild()
    const dir = tempDir()
    writeFileSync(join(dir, 'a.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\n')
    writeFileSync(
      join(dir, 'b.yaml'),
      'serverName: example.org\nresources: large\nsynapse: {maxUploadSize: 80M}\ntls: {letsEncrypt: {email: a@example.org}}\n',
    )
    expect(bin(['render', 'a.yaml', '--out', 'old'], dir).code).toBe(0)
    expect(bin(['render', 'b.yaml', '--out', 'new'], dir).code).toBe(0)
    expect(bin(['render', 'a.yaml', '--out', 'out'], dir).code).toBe(0)
    const oldTree = snapshotTree(join(dir, 'old'))
    const newTree = snapshotTree(join(dir, 'new'))
    const failed = bin(['render', 'b.yaml', '--out', 'out'], dir, { env: { MESSENGER_STACK_TEST_FAIL_AFTER: '2' } })
    expect(failed.code).toBe(2)
    expect(failed.stderr).toContain('Simulated failure after 2 files')
    const now = snapshotTree(join(dir, 'out'))
    let fresh = 0
    for (const [path, file] of Object.entries(now)) {
      if (path === MANIFEST_PATH) continue
      expect([oldTree[path]?.content, newTree[path]?.content], path).toContain(file.content)
      if (file.content !== oldTree[path]?.content) fresh++
    }
    expect(fresh).toBe(2)
    const manifest = JSON.parse(now[MANIFEST_PATH]!.content) as { pending?: { path: string }[] }
    expect(manifest.pending?.length).toBeGreaterThan(2) // what b.yaml changes, recorded before the first write
    const resumed = bin(['render', 'b.yaml', '--out', 'out'], dir)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).not.toContain('by hand')
    expect(snapshotTree(join(dir, 'out'))).toEqual(newTree)
  })

  it('an unwritable out folder, as a non-root user: one message, exit 2, nothing written', () => {
    requireBuild()
    const dir = tempDir()
    chmodSync(dir, 0o755)
    writeFileSync(join(dir, 'd.yaml'), 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\n')
    chmodSync(join(dir, 'd.yaml'), 0o644)
    mkdirSync(join(dir, 'out'))
    const root = process.getuid?.() === 0
    const nobody = 65534
    if (root) chownSync(join(dir, 'out'), nobody, nobody)
    chmodSync(join(dir, 'out'), 0o500)
    if (root) {
      const probe = spawnSync('setpriv', ['--version'], { encoding: 'utf8' })
      if (probe.error !== undefined)
        throw new Error('setpriv (util-linux) is needed to run this check as a non-root user: apt-get install util-linux.')
    }
    const result = bin(['render', 'd.yaml', '--out', 'out'], dir, root ? { asUser: nobody } : {})
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/\n✖ Cannot write into .*\/out; nothing was written: permission denied \(EACCES\)\.\n$/)
    expect(result.stderr.match(/✖/g)).toHaveLength(1)
    expect(readdirSync(join(dir, 'out'))).toEqual([])
  })

  it('starts without loading the command bundles for --help, and prints the version', () => {
    requireBuild()
    const help = bin(['--help'], tempDir())
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Commands:')
    expect(bin(['--version'], tempDir()).stdout).toMatch(/^\d+\.\d+\.\d+\n$/)
    expect(readFileSync(bundleFile(), 'utf8').length).toBeLessThan(100_000)
  })
})
