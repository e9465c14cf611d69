// DEPLOY.md gives commands that work as written: run in the bundle folder, with the spec's
// real path from there, whichever folder render or check ran in.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { run, tempDir } from './_helpers.js'

describe('DEPLOY.md names the spec as the operator has it', () => {
  it('after `init deploy`: deployment.yaml in the bundle folder; check agrees from inside the folder and by absolute paths', async () => {
    const dir = tempDir()
    expect((await run(['init', 'deploy', '--server-name', 'example.org'], { cwd: dir })).code).toBe(0)
    const render = await run(['render', 'deploy/deployment.yaml', '--out', 'deploy', '--secrets', 'deploy/secrets'], { cwd: dir })
    expect(render.code, render.stderr).toBe(0)
    const doc = readFileSync(join(dir, 'deploy/DEPLOY.md'), 'utf8')
    expect(doc).toContain('sudo messenger-stack secrets secrets --spec deployment.yaml\n')
    expect(doc).toContain('sudo messenger-stack render deployment.yaml --out . --secrets secrets\n')
    expect((await run(['check', 'deployment.yaml', '--out', '.'], { cwd: join(dir, 'deploy') })).code).toBe(0)
    expect((await run(['check', join(dir, 'deploy/deployment.yaml'), '--out', join(dir, 'deploy')], { cwd: '/' })).code).toBe(0)
  })

  it('a spec kept elsewhere is named relative to the bundle folder', async () => {
    const dir = tempDir()
    expect((await run(['init', 'site', '--server-name', 'example.org'], { cwd: dir })).code).toBe(0)
    expect((await run(['render', 'site/deployment.yaml', '--out', 'bundles/prod'], { cwd: dir })).code).toBe(0)
    const doc = readFileSync(join(dir, 'bundles/prod/DEPLOY.md'), 'utf8')
    expect(doc).toContain('sudo messenger-stack render ../../site/deployment.yaml --out . --secrets secrets\n')
    const check = await run(['check', '../../site/deployment.yaml', '--out', '.'], { cwd: join(dir, 'bundles/prod') })
    expect(check.code, check.stdout + check.stderr).toBe(0)
  })
})
