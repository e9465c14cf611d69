import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { validateHomeserver } from '@messenger-stack/config-schema'
import { loadSecrets } from '@messenger-stack/config-schema/node'
import { describe, expect, it } from 'vitest'
import { MANIFEST_PATH, type JsonReport, type Manifest } from '../src/index.js'
import { MINIMAL_SPEC, run, snapshotTree, tempDir } from './_helpers.js'

/** Every file of the tree is listed in the manifest with its current hash (as written, or pending). */
function expectKnownToManifest(tree: Record<string, { content: string }>): void {
  const manifest = JSON.parse(tree[MANIFEST_PATH]!.content) as Manifest
  const known = new Set([...manifest.files, ...(manifest.pending ?? [])].map((e) => `${e.path} ${e.sha256}`))
  for (const [path, file] of Object.entries(tree)) {
    if (path !== MANIFEST_PATH) expect(known.has(`${path} ${createHash('sha256').update(file.content).digest('hex')}`), path).toBe(true)
  }
}

function setup(): { dir: string; out: string } {
  const dir = tempDir()
  writeFileSync(join(dir, 'deployment.yaml'), MINIMAL_SPEC)
  return { dir, out: join(dir, 'out') }
}

describe('render', () => {
  it('writes the bundle with modes and a manifest; three runs give the same bytes', async () => {
    const { dir, out } = setup()
    const first = await run(['render', 'deployment.yaml', '--out', 'out', '--json'], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    const report = JSON.parse(first.stdout) as JsonReport
    expect(report.ok).toBe(true)
    expect(report.files.length).toBeGreaterThan(10)
    expect(new Set(report.files.map((f) => f.status))).toEqual(new Set(['created']))
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST_PATH), 'utf8')) as Manifest
    expect(manifest.files.map((f) => f.path)).toEqual(report.files.map((f) => f.path))
    for (const entry of manifest.files) {
      expect(statSync(join(out, entry.path)).mode & 0o777).toBe(entry.mode)
      expect(report.files.find((f) => f.path === entry.path)?.sha256).toBe(entry.sha256)
    }
    expect(manifest.files.some((f) => f.mode === 0o755 && f.path.endsWith('.sh'))).toBe(true)
    expect(existsSync(join(out, 'synapse/config/homeserver.yaml'))).toBe(true)
    const tree = snapshotTree(out)
    expect(Object.keys(tree).some((p) => p.includes('.messenger-stack-tmp-'))).toBe(false)
    for (let i = 0; i < 2; i++) {
      const again = await run(['render', 'deployment.yaml', '--out', 'out', '--json'], { cwd: dir })
      expect(again.code).toBe(0)
      expect(new Set((JSON.parse(again.stdout) as JsonReport).files.map((f) => f.status))).toEqual(new Set(['unchanged']))
      expect(snapshotTree(out)).toEqual(tree)
    }
    expect((await run(['check', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    expect((await run(['diff', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
  })

  it('updates files it wrote when the spec changes; keeps no-longer-rendered files and reports them', async () => {
    const { dir, out } = setup()
    expect((await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    const livekit = readFileSync(join(out, 'livekit/config.yaml'), 'utf8')
    writeFileSync(join(dir, 'deployment.yaml'), `${MINIMAL_SPEC}serviceName: chat\nlivekit:\n  enabled: false\n`)
    const check = await run(['check', 'deployment.yaml', '--out', 'out', '--json'], { cwd: dir })
    expect(check.code).toBe(1)
    const statuses = (JSON.parse(check.stdout) as JsonReport).files
    expect(statuses.find((f) => f.path === 'livekit/config.yaml')?.status).toBe('extra')
    expect(statuses.find((f) => f.path === 'synapse/config/homeserver.yaml')?.status).toBe('changed')
    expect(statuses.some((f) => f.status === 'missing')).toBe(true) // nginx/conf.d/chat.conf

    const result = await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('livekit/config.yaml is no longer rendered by this spec; it was left in place')
    expect(readFileSync(join(out, 'livekit/config.yaml'), 'utf8')).toBe(livekit)
    expect(existsSync(join(out, 'nginx/conf.d/chat.conf'))).toBe(true)
    // Still reported as extra by check, until the operator deletes it.
    expect((await run(['check', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(1)
  })

  it('stops before writing anything when a file was edited by hand, shows the diff; --force overwrites', async () => {
    const { dir, out } = setup()
    expect((await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    const homeserver = join(out, 'synapse/config/homeserver.yaml')
    const original = readFileSync(homeserver, 'utf8')
    const edited = original.replace(/^(report_stats:.*)$/m, '$1\n# my local tweak')
    expect(edited).not.toBe(original)
    writeFileSync(homeserver, edited)
    writeFileSync(join(dir, 'deployment.yaml'), `${MINIMAL_SPEC}resources: medium\n`)
    const before = snapshotTree(out)

    const refused = await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(refused.code).toBe(1)
    expect(snapshotTree(out)).toEqual(before)
    expect(refused.stderr).toContain('changed by hand since messenger-stack wrote')
    expect(refused.stderr).toContain('--- a/synapse/config/homeserver.yaml (on disk)')
    expect(refused.stderr).toContain('-# my local tweak')
    expect(refused.stderr).toContain('--force')

    const checked = await run(['check', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(checked.code).toBe(1)
    expect(checked.stdout).toContain('synapse/config/homeserver.yaml (edited by hand)')

    const forced = await run(['render', 'deployment.yaml', '--out', 'out', '--force', '--json'], { cwd: dir })
    expect(forced.code).toBe(0)
    expect((JSON.parse(forced.stdout) as JsonReport).files.find((f) => f.path === 'synapse/config/homeserver.yaml')?.status).toBe(
      'overwritten',
    )
    expect(readFileSync(homeserver, 'utf8')).not.toContain('# my local tweak')
    expect((await run(['check', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
  })

  it('treats an existing file it never wrote as hand-made', async () => {
    const { dir, out } = setup()
    mkdirSync(join(out, 'synapse/config'), { recursive: true })
    writeFileSync(join(out, 'synapse/config/homeserver.yaml'), 'server_name: mine\n')
    const result = await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(result.code).toBe(1)
    expect(readdirSync(out)).toEqual(['synapse'])
    expect(readFileSync(join(out, 'synapse/config/homeserver.yaml'), 'utf8')).toBe('server_name: mine\n')
  })

  it('--dry-run reports and writes nothing', async () => {
    const { dir, out } = setup()
    const result = await run(['render', 'deployment.yaml', '--out', 'out', '--dry-run'], { cwd: dir })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('would create  synapse/config/homeserver.yaml')
    expect(existsSync(out)).toBe(false)
  })

  it('an injected failure between files leaves every file old or new, never truncated', async () => {
    const { dir, out } = setup()
    expect((await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    const old = snapshotTree(out)
    writeFileSync(join(dir, 'deployment.yaml'), `${MINIMAL_SPEC}serviceName: chat\nresources: medium\n`)
    const next = await run(['render', 'deployment.yaml', '--out', 'new'], { cwd: dir })
    expect(next.code).toBe(0)
    const fresh = snapshotTree(join(dir, 'new'))
    for (const failAfter of [1, 3, 6]) {
      const failed = await run(['render', 'deployment.yaml', '--out', 'out'], {
        cwd: dir,
        deps: {
          afterFileWritten: (_path, count) => {
            if (count === failAfter) throw Object.assign(new Error('simulated crash'), { code: 'EIO' })
          },
        },
      })
      expect(failed.code).toBe(2)
      const now = snapshotTree(out)
      for (const [path, file] of Object.entries(now)) {
        if (path === MANIFEST_PATH) continue
        const candidates = [old[path]?.content, fresh[path]?.content]
        expect(candidates, path).toContain(file.content)
      }
      expect(Object.keys(now).some((p) => p.includes('.messenger-stack-tmp-'))).toBe(false)
      // Every file on disk is one the manifest knows (the last complete render's, or pending from
      // this one), so a later render picks up where it stopped instead of seeing hand edits.
      expectKnownToManifest(now)
    }
    const resumed = await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).not.toContain('by hand')
    expect((JSON.parse(readFileSync(join(out, MANIFEST_PATH), 'utf8')) as Manifest).pending).toBeUndefined()
    const final = snapshotTree(out)
    for (const [path, file] of Object.entries(fresh)) if (path !== MANIFEST_PATH) expect(final[path], path).toEqual(file)
  })

  it('a spec validate accepts renders YAML that PyYAML and the yaml library read: a synapse.extraConfig key of 1,100 characters (in a module config)', async () => {
    const dir = tempDir()
    const key = `x_${'k'.repeat(1100)}`
    const spec = {
      serverName: 'example.org',
      containerUser: { uid: 1000, gid: 1000 },
      tls: { letsEncrypt: { email: 'admin@example.org' } },
      synapse: { extraConfig: { modules: [{ module: 'my_module.Module', config: { [key]: { nested: [1] } } }] } },
    }
    writeFileSync(join(dir, 'deployment.json'), JSON.stringify(spec))
    expect((await run(['validate', 'deployment.json'], { cwd: dir })).code).toBe(0)
    const rendered = await run(['render', 'deployment.json', '--out', 'out'], { cwd: dir })
    expect(rendered.code, rendered.stderr).toBe(0)
    const path = join(dir, 'out/synapse/config/homeserver.yaml')
    const read = validateHomeserver(readFileSync(path, 'utf8')) // the yaml library's reading
    expect(read.success && (read.config as unknown as { modules: { config: Record<string, unknown> }[] }).modules[0]!.config[key]).toEqual({
      nested: [1],
    })
    const python = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))["modules"][0]["config"][sys.argv[2]]))', path, key],
      {
        encoding: 'utf8',
      },
    )
    expect(python.status, python.stderr).toBe(0)
    expect(JSON.parse(python.stdout)).toEqual({ nested: [1] })
  })

  it('--secrets checks the folder, refreshes derived files, and never writes a secret into --out', async () => {
    const { dir, out } = setup()
    expect((await run(['secrets', 'secrets', '--spec', 'deployment.yaml'], { cwd: dir })).code).toBe(0)
    const pgpass = join(dir, 'secrets/synapse.pgpass')
    writeFileSync(pgpass, 'stale\n')
    const result = await run(['render', 'deployment.yaml', '--out', 'out', '--secrets', 'secrets'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(pgpass, 'utf8')).toMatch(/^\*:\*:\*:synapse:/)
    expect(statSync(pgpass).mode & 0o777).toBe(0o600)
    const secrets = Object.values(await loadSecrets(join(dir, 'secrets'))).map((value) => value.split(' ').at(-1)!)
    expect(secrets).toHaveLength(8)
    for (const [path, file] of Object.entries(snapshotTree(out))) {
      for (const secret of secrets) expect(file.content.includes(secret), path).toBe(false)
    }
  })

  it('--secrets gives a spec that gains workers its replication secret once, and never changes it', async () => {
    const { dir } = setup()
    expect((await run(['secrets', 'secrets', '--spec', 'deployment.yaml'], { cwd: dir })).code).toBe(0)
    const secretFile = join(dir, 'secrets/synapse_worker_replication_secret')
    expect(existsSync(secretFile)).toBe(false)
    writeFileSync(join(dir, 'deployment.yaml'), `${MINIMAL_SPEC}synapse:\n  workers:\n    preset: small\n`)
    const first = await run(['render', 'deployment.yaml', '--out', 'out', '--secrets', 'secrets'], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('created     secrets/synapse_worker_replication_secret')
    const value = readFileSync(secretFile, 'utf8')
    expect(statSync(secretFile).mode & 0o777).toBe(0o600)
    const again = await run(['render', 'deployment.yaml', '--out', 'out', '--secrets', 'secrets'], { cwd: dir })
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).not.toContain('synapse_worker_replication_secret')
    expect(readFileSync(secretFile, 'utf8')).toBe(value)
    expect(readFileSync(join(dir, 'out/synapse/config/homeserver.yaml'), 'utf8')).not.toContain(value)
  })

  it('refuses a renderer output that would contain a secret', async () => {
    const { dir } = setup()
    expect((await run(['secrets', 'secrets', '--spec', 'deployment.yaml'], { cwd: dir })).code).toBe(0)
    const secret = readFileSync(join(dir, 'secrets/redis_password'), 'utf8')
    const result = await run(['render', 'deployment.yaml', '--out', 'out', '--secrets', 'secrets'], {
      cwd: dir,
      deps: { renderAll: () => [{ path: 'redis/redis.conf', content: `requirepass ${secret}\n`, mode: 0o644 }] },
    })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatchInlineSnapshot(`
      "! No backups section: scripts/backup.sh refuses to run until the spec says how backups are protected, because a backup holds every message and password hash.
        → at backups (deployment.yaml:1:1)
        hint: add backups: { encryption: age, recipients: [age1...] } (or gpg with fingerprints), or backups: { encryption: none } for plain backups.
      … rendering deployment.yaml
      ✖ redis/redis.conf would contain the value of the secret redisPassword; nothing was written. Secrets belong in the secrets folder only.
      "
    `)
    expect(existsSync(join(dir, 'out'))).toBe(false)
  })
})

describe('failures write nothing and exit as documented', () => {
  const cases: [string, (dir: string) => string[], number, RegExp][] = [
    [
      'unreadable spec',
      () => ['render', 'missing.yaml', '--out', 'out'],
      2,
      /Cannot read the spec missing\.yaml: does not exist \(ENOENT\)\./,
    ],
    [
      'malformed YAML',
      (dir) => {
        writeFileSync(join(dir, 'bad.yaml'), 'serverName: [unclosed\n')
        return ['render', 'bad.yaml', '--out', 'out']
      },
      1,
      /bad\.yaml:\d+:\d+/,
    ],
    [
      'malformed TOML',
      (dir) => {
        writeFileSync(join(dir, 'bad.toml'), 'serverName = "x\n[[[')
        return ['render', 'bad.toml', '--out', 'out']
      },
      1,
      /bad\.toml:\d+:\d+/,
    ],
    [
      'invalid spec',
      (dir) => {
        writeFileSync(join(dir, 'bad.yaml'), 'serverName: Not_A_Domain\n')
        return ['render', 'bad.yaml', '--out', 'out']
      },
      1,
      /serverName.*\(bad\.yaml:1:13\)/,
    ],
    [
      'missing secrets folder',
      (dir) => {
        writeFileSync(join(dir, 'd.yaml'), MINIMAL_SPEC)
        return ['render', 'd.yaml', '--out', 'out', '--secrets', 'nope']
      },
      2,
      /The secrets folder nope does not exist/,
    ],
    [
      '--out is a file',
      (dir) => {
        writeFileSync(join(dir, 'd.yaml'), MINIMAL_SPEC)
        writeFileSync(join(dir, 'out'), 'x')
        return ['render', 'd.yaml', '--out', 'out']
      },
      2,
      /--out out is a file, not a folder/,
    ],
    [
      '--out below a regular file',
      (dir) => {
        writeFileSync(join(dir, 'd.yaml'), MINIMAL_SPEC)
        writeFileSync(join(dir, 'f'), 'x')
        return ['render', 'd.yaml', '--out', 'f/out']
      },
      2,
      /--out f\/out cannot be used; nothing was written: a part of the path is a file/,
    ],
  ]
  it.each(cases)('%s', async (_name, setupCase, code, message) => {
    const dir = tempDir()
    const argv = setupCase(dir)
    const before = snapshotTree(dir)
    const result = await run(argv, { cwd: dir })
    expect(result.code).toBe(code)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/) // no stack trace
    expect(snapshotTree(dir)).toEqual(before)
  })

  it('--json: one document with the issues, file:line:col included', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'bad.yaml'), 'serverName: example.org\nlivekti: {}\n')
    const result = await run(['validate', 'bad.yaml', '--json'], { cwd: dir })
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as JsonReport
    expect(report.ok).toBe(false)
    expect(report.issues).toContainEqual(expect.objectContaining({ code: 'unknown_key', file: 'bad.yaml', line: 2, column: 1 }))
    expect(result.stderr).toContain('did you mean "livekit"?')
  })

  it('validate: exit 0 for the examples', async () => {
    for (const name of ['standalone', 'microservice']) {
      const result = await run(['validate', `../../examples/${name}/deployment.yaml`], { cwd: join(import.meta.dirname, '..') })
      expect(result.code, result.stderr).toBe(0)
    }
  })

  it('an unwritable out folder (checked as a non-root user when running as root) writes nothing, exit 2', async () => {
    const dir = tempDir()
    chmodSync(dir, 0o755)
    writeFileSync(join(dir, 'd.yaml'), MINIMAL_SPEC)
    mkdirSync(join(dir, 'out'), { mode: 0o500 })
    chmodSync(join(dir, 'out'), 0o500)
    if (process.getuid?.() === 0) {
      // Root bypasses permission bits: run the built command as nobody instead (e2e file covers it).
      expect(statSync(join(dir, 'out')).mode & 0o777).toBe(0o500)
      return
    }
    const result = await run(['render', 'd.yaml', '--out', 'out'], { cwd: dir })
    expect(result.code).toBe(2)
    expect(readdirSync(join(dir, 'out'))).toEqual([])
  })
})
