import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUNDLE_PATHS } from '@messenger-stack/config-schema'
import { composeFilesFor } from '../src/index.js'
import { example, parseCompose } from './_fixtures.js'
import { coverageSpecs } from './_walk.js'

const INSTALL_HINT =
  'docker-compose (v1.29, the real validator of these files) is not installed: run `apt-get install -y docker-compose` (Debian) or .ci/provision.sh.'

/** Runs docker-compose; fails (never skips) when the program is missing. */
function dockerCompose(args: string[], cwd: string, path = process.env.PATH ?? '/usr/bin:/bin'): { status: number; output: string } {
  const result = spawnSync('docker-compose', args, { cwd, encoding: 'utf8', timeout: 60_000, env: { PATH: path } })
  if (result.error !== undefined && (result.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(INSTALL_HINT)
  if (result.error !== undefined) throw result.error
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` }
}

/** Writes a placeholder for every bundle file the compose file references (env files need to exist). */
function writeReferencedFiles(dir: string, composeText: string): void {
  const doc = parseCompose(composeText)
  for (const svc of Object.values(doc.services)) {
    const envFiles = (svc.env_file ?? []) as string[]
    for (const file of envFiles) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), '# placeholder written by the compose test\n')
    }
    for (const volume of svc.volumes ?? []) {
      const source = volume.split(':')[0]!
      if (!source.startsWith('./') || source.endsWith('/init') || source.endsWith('conf.d') || source.endsWith('well-known')) continue
      mkdirSync(dirname(join(dir, source)), { recursive: true })
      writeFileSync(join(dir, source), '')
    }
  }
}

const roots: string[] = []
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true })
})

// docker-compose v1 takes a second or two to start on a busy 2-core machine.
describe('docker-compose config -q accepts each file alone', { timeout: 60_000 }, () => {
  const cases = coverageSpecs().flatMap(([label, s]) => composeFilesFor(s).map((file) => [`${label}: ${file.path}`, file] as const))

  it.each(cases)('%s', (_label, file) => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'))
    roots.push(dir)
    writeReferencedFiles(dir, file.content)
    writeFileSync(join(dir, file.path), file.content)
    // No .env: every variable has a default in the file itself.
    const { status, output } = dockerCompose(['-f', file.path, 'config', '-q'], dir)
    expect(output).toBe('')
    expect(status).toBe(0)
  })

  it('the validator is not vacuous: it refuses a top-level name and an unknown service key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'))
    roots.push(dir)
    const s = example('standalone')
    const [file] = composeFilesFor(s)
    writeReferencedFiles(dir, file!.content)
    writeFileSync(join(dir, 'named.yml'), `name: x\n${file!.content}`)
    expect(dockerCompose(['-f', 'named.yml', 'config', '-q'], dir).status).not.toBe(0)
    writeFileSync(join(dir, 'typo.yml'), file!.content.replace('    read_only: true\n', '    read_onyl: true\n'))
    expect(dockerCompose(['-f', 'typo.yml', 'config', '-q'], dir).output).toContain('read_onyl')
  })

  it('fails with an install hint when docker-compose is missing', () => {
    expect(() => dockerCompose(['version'], tmpdir(), '/nonexistent')).toThrow(INSTALL_HINT)
  })

  it('lk-jwt-service takes its whole environment from the rendered env file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'))
    roots.push(dir)
    const s = example('standalone')
    const [file] = composeFilesFor(s)
    writeReferencedFiles(dir, file!.content)
    writeFileSync(join(dir, BUNDLE_PATHS.lkJwtEnv), 'LIVEKIT_KEY=messenger\nLIVEKIT_SECRET_FROM_FILE=/secrets/livekit_api_secret\n')
    writeFileSync(join(dir, file!.path), file!.content)
    const resolved = parseCompose(dockerCompose(['-f', file!.path, 'config'], dir).output)
    expect(resolved.services['lk-jwt-service']!.environment).toEqual({
      LIVEKIT_KEY: 'messenger',
      LIVEKIT_SECRET_FROM_FILE: '/secrets/livekit_api_secret',
    })
  })

  it('runs every service as the spec user; a .env (or environment) asking for root changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-config-'))
    roots.push(dir)
    const s = example('standalone')
    const [file] = composeFilesFor(s)
    writeReferencedFiles(dir, file!.content)
    writeFileSync(join(dir, file!.path), file!.content)
    const resolved = parseCompose(dockerCompose(['-f', file!.path, 'config'], dir).output)
    expect(resolved.services.synapse!.user).toBe(`${s.containerUser.uid}:${s.containerUser.gid}`)
    // The attack on the original service's files: CONTAINER_USER_UID=0 in .env ran every container as root.
    writeFileSync(join(dir, '.env'), 'CONTAINER_USER_UID=0\nCONTAINER_USER_GID=0\n')
    const attacked = parseCompose(dockerCompose(['-f', file!.path, 'config'], dir).output)
    for (const service of Object.values(attacked.services)) expect(service.user).toBe(`${s.containerUser.uid}:${s.containerUser.gid}`)
  })
})
