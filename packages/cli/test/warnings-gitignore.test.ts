import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundleGitignore } from '@messenger-stack/config-schema'
import { describe, expect, it } from 'vitest'
import type { JsonReport } from '../src/_report.js'
import { MINIMAL_SPEC, run, tempDir } from './_helpers.js'

const OPEN = `${MINIMAL_SPEC}synapse:\n  registration:\n    mode: open\n`

describe('warnings (legal but likely wrong settings)', () => {
  it('validate prints them with file:line:col and still exits 0; --json lists them apart from issues', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'd.yaml'), OPEN)
    const human = await run(['validate', 'd.yaml'], { cwd: dir })
    expect(human.code).toBe(0)
    expect(human.stderr).toContain('! Registration is open: anyone who reaches this server can create accounts')
    expect(human.stderr).toMatch(/→ at synapse\.registration\.mode \(d\.yaml:8:11\)/)
    expect(human.stderr).toContain('! No backups section: scripts/backup.sh refuses to run')
    const json = await run(['validate', 'd.yaml', '--json'], { cwd: dir })
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout) as JsonReport
    expect(report.ok).toBe(true)
    expect(report.issues).toEqual([])
    expect(report.warnings.map((w) => w.code)).toEqual(['open_registration', 'backups_not_configured'])
  })

  it('render prints them and writes the bundle', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'd.yaml'), OPEN)
    const result = await run(['render', 'd.yaml', '--out', 'out'], { cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toContain('! Registration is open')
    expect(readFileSync(join(dir, 'out/.gitignore'), 'utf8')).toBe(bundleGitignore())
  })
})

describe('.gitignore', () => {
  it('init writes it before any secret, render into the same folder finds it unchanged, and git commits no secret or data', async () => {
    const dir = tempDir()
    const init = await run(['init', 'chat', '--server-name', 'example.org'], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
    expect(init.stdout).toContain('created     chat/.gitignore')
    const render = await run(['render', 'deployment.yaml', '--out', '.', '--secrets', 'secrets'], { cwd: join(dir, 'chat') })
    expect(render.code, render.stderr).toBe(0)
    expect(render.stdout).not.toContain('.gitignore')
    mkdirSync(join(dir, 'chat/data/postgres'), { recursive: true })
    writeFileSync(join(dir, 'chat/data/postgres/PG_VERSION'), '17\n')
    mkdirSync(join(dir, 'chat/backups/20261130T000000Z'), { recursive: true })
    writeFileSync(join(dir, 'chat/backups/20261130T000000Z/synapse.pgdump'), 'dump')
    writeFileSync(join(dir, 'chat/.env'), 'CONTAINER_USER_UID=1000\n')
    const git = (...args: string[]) => spawnSync('git', args, { cwd: join(dir, 'chat'), encoding: 'utf8', timeout: 30_000 })
    expect(git('init', '-q').status).toBe(0)
    expect(git('add', '-A').status).toBe(0)
    const tracked = git('ls-files').stdout.split('\n')
    expect(tracked).toContain('deployment.yaml')
    expect(tracked).toContain('synapse/config/homeserver.yaml')
    expect(tracked.filter((path) => /^(secrets|data|backups)\/|^\.env$/.test(path))).toEqual([])
  })

  it("init keeps an operator's own .gitignore and warns when it does not ignore secrets/", async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'chat'))
    writeFileSync(join(dir, 'chat/.gitignore'), 'node_modules/\n')
    const init = await run(['init', 'chat', '--server-name', 'example.org'], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
    expect(readFileSync(join(dir, 'chat/.gitignore'), 'utf8')).toBe('node_modules/\n')
    expect(init.stderr).toContain('chat/.gitignore exists and does not ignore secrets/')
  })
})
