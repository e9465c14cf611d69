import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, readdirSync, statSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { DERIVED_SECRET_FILES, SECRET_FILES } from '@messenger-stack/config-schema'
import { renderScripts } from '../src/scripts/scripts.js'
import { shellQuote } from '../src/scripts/shell-quote.js'
import { EXAMPLES, exampleSpec, shellcheck } from './_bundle-support.js'

describe.each(EXAMPLES)('scripts for %s', (name) => {
  const files = renderScripts(exampleSpec(name))

  it("are the mode's scripts, executable", () => {
    const deploy = name === 'standalone' ? 'scripts/deploy-standalone.sh' : 'scripts/deploy.sh'
    expect(files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      [deploy, '755'],
      ['scripts/create-first-user.sh', '755'],
      ['scripts/backup.sh', '755'],
      ['scripts/restore.sh', '755'],
      ['scripts/check-livekit.sh', '755'],
    ])
  })

  it.each(files.map((f) => [f.path, f.content]))('%s matches its golden file and is shellcheck-clean', async (path, content) => {
    await expect(content).toMatchFileSnapshot(`golden/${name}/${path}`)
    expect(content.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(content).toContain('\nset -euo pipefail\n')
    expect(shellcheck(content, 'bash')).toBe('')
  })
})

it('check-livekit.sh is left out when calls are disabled', () => {
  const spec = { ...exampleSpec('standalone'), livekit: { ...exampleSpec('standalone').livekit, enabled: false } }
  expect(renderScripts(spec).map((f) => f.path)).not.toContain('scripts/check-livekit.sh')
})

describe('shellQuote', () => {
  it('gives back any string through a real bash', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')),
          { minLength: 1, maxLength: 20 },
        ),
        (values) => {
          const script = `printf '%s\\0' ${values.map(shellQuote).join(' ')}`
          const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 10_000 })
          expect(result.stdout.split('\0').slice(0, -1)).toEqual(values)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('leaves safe words bare and quotes the rest', () => {
    expect(shellQuote('matrix.example.org')).toBe('matrix.example.org')
    expect(shellQuote("it's $HOME")).toMatchInlineSnapshot(`"'it'"'"'s $HOME'"`)
    expect(shellQuote('')).toBe("''")
  })
})

// Behaviour: the scripts run against a fake `docker` that records its arguments and plays
// the parts of compose, pg_dump, psql and tar. No container starts.
const FAKE_DOCKER = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$FAKE_LOG"
case "$*" in
  "compose version") exit 0 ;;
  *"exec -T postgres"*"pg_dump"*) printf 'FAKE-DUMP' ;;
  *"exec -T postgres"*"psql"*) printf '%s\\n' "$FAKE_TABLES" ;;
  *"exec -T synapse tar"*) printf 'FAKE-TAR' ;;
  # Like tar -x, read the whole archive: the writer must not die of SIGPIPE.
  *"run --rm -T"*"tar"*) cat >/dev/null ;;
  # Container state for the active-colour probe: FAKE_RUNNING names the running colour.
  "inspect -f {{.State.Running}} {{.State.StartedAt}} "*)
    [[ -n "\${FAKE_RUNNING:-}" && "$*" == *"-\${FAKE_RUNNING}" ]] && echo "true 2026-11-25T10:00:00Z" || echo "false 0001-01-01T00:00:00Z" ;;
  "inspect"*) echo healthy ;;
  "network inspect"*) exit 0 ;;
esac
exit 0
`

describe('scripts in action (fake docker)', () => {
  let work = ''
  afterEach(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true })
  })

  function bundle(example: 'standalone' | 'microservice'): {
    run: (script: string, args?: string[], env?: Record<string, string>) => ReturnType<typeof spawnSync>
    log: () => string[]
  } {
    work = mkdtempSync(join(tmpdir(), 'ms-scripts-'))
    mkdirSync(join(work, 'bin'))
    writeFileSync(join(work, 'bin/docker'), FAKE_DOCKER, { mode: 0o755 })
    for (const file of renderScripts(exampleSpec(example))) {
      mkdirSync(join(work, 'bundle/scripts'), { recursive: true })
      writeFileSync(join(work, 'bundle', file.path), file.content, { mode: file.mode })
    }
    mkdirSync(join(work, 'bundle/secrets'), { mode: 0o700 })
    chmodSync(join(work, 'bundle/secrets'), 0o700)
    for (const file of [...Object.values(SECRET_FILES), ...Object.values(DERIVED_SECRET_FILES)]) {
      writeFileSync(join(work, 'bundle/secrets', file), 'test-only-value\n', { mode: 0o600 })
    }
    writeFileSync(join(work, 'log'), '')
    // The scripts refuse UID 0, so as root the secrets belong to a test UID.
    const uid = process.getuid?.() === 0 ? 1000 : (process.getuid?.() ?? 1000)
    for (const file of readdirSync(join(work, 'bundle/secrets'))) chownSync(join(work, 'bundle/secrets', file), uid, uid)
    return {
      run: (script, args = [], env = {}) =>
        spawnSync('bash', [join(work, 'bundle/scripts', script), ...args], {
          encoding: 'utf8',
          timeout: 30_000,
          input: '',
          env: {
            PATH: `${join(work, 'bin')}:/usr/bin:/bin`,
            FAKE_LOG: join(work, 'log'),
            FAKE_TABLES: '0',
            CONTAINER_USER_UID: String(uid),
            CONTAINER_USER_GID: String(uid),
            ...env,
          },
        }),
      log: () =>
        readFileSync(join(work, 'log'), 'utf8')
          .split('\n')
          .filter((line) => line !== '' && line !== 'compose version'),
    }
  }

  it('backup.sh writes the dump, the media archive and checksums', () => {
    const { run, log } = bundle('standalone')
    const result = run('backup.sh', [join(work, 'out')])
    expect(result.status, String(result.stderr)).toBe(0)
    expect(readFileSync(join(work, 'out/synapse.pgdump'), 'utf8')).toBe('FAKE-DUMP')
    expect(readFileSync(join(work, 'out/SHA256SUMS'), 'utf8')).toMatch(/ {2}synapse\.pgdump\n.* {2}media_store\.tar\.gz\n$/)
    expect(log()[0]).toMatch(
      /^compose -p messenger -f docker-compose.standalone.yml exec -T postgres sh -c .* sh \/secrets\/postgres_password pg_dump --format=custom -U synapse -d synapse$/,
    )
    expect(String(result.stderr)).toContain('does not contain secrets/')
  })

  it('restore.sh refuses a database that has tables, unless --force', () => {
    const { run: backupRun } = bundle('microservice')
    expect(backupRun('backup.sh', [join(work, 'out')]).status).toBe(0)
    const { run, log } = { run: backupRun, log: () => readFileSync(join(work, 'log'), 'utf8') }
    writeFileSync(join(work, 'log'), '')
    const refused = run('restore.sh', [join(work, 'out')], { FAKE_TABLES: '42' })
    expect(refused.status).toBe(1)
    expect(String(refused.stderr)).toContain('already has 42 tables; restoring would replace them. Re-run with --force')
    expect(log()).not.toContain('pg_restore')
    const forced = run('restore.sh', [join(work, 'out'), '--force'], { FAKE_TABLES: '42' })
    expect(forced.status, String(forced.stderr)).toBe(0)
    expect(log()).toMatch(
      /-p messenger_core -f docker-compose.core.yml stop synapse\n.*pg_restore --clean --if-exists --no-owner --exit-on-error/,
    )
  })

  it('deploy-standalone.sh refuses a secrets folder others can read', () => {
    const { run, log } = bundle('standalone')
    chmodSync(join(work, 'bundle/secrets'), 0o755)
    const result = run('deploy-standalone.sh')
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('secrets/ must not be readable by others: chmod 700 secrets')
    expect(log()).toEqual([])
  })

  it('deploy.sh starts the core, then the blue/green deploy, then installs the gateway include and reloads', () => {
    const { run, log } = bundle('microservice')
    const nginxDir = join(work, 'nginx-microservice')
    mkdirSync(join(nginxDir, 'scripts/blue-green'), { recursive: true })
    writeFileSync(join(nginxDir, 'scripts/blue-green/deploy-smart.sh'), '#!/bin/sh\necho "deploy-smart $*" >>"$FAKE_LOG"\n', {
      mode: 0o755,
    })
    writeFileSync(join(nginxDir, 'scripts/reload-nginx.sh'), '#!/bin/sh\necho reload-nginx >>"$FAKE_LOG"\n', { mode: 0o755 })
    mkdirSync(join(work, 'bundle/nginx'))
    writeFileSync(
      join(work, 'bundle/nginx/gateway-proxy.conf'),
      'location /_matrix { proxy_pass http://messenger-synapse-${ACTIVE_COLOR}:3708; }\n',
    )
    const result = run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(result.status, String(result.stderr)).toBe(0)
    const steps = log().filter((line) => !line.startsWith('inspect'))
    expect(steps).toEqual([
      'network inspect nginx-network',
      'volume inspect messenger-postgres-data',
      'volume inspect messenger-synapse-data',
      'compose -p messenger_core -f docker-compose.core.yml up -d',
      'deploy-smart messenger',
      'reload-nginx',
    ])
    // The include carries the active colour (the running one) instead of the placeholder.
    expect(readFileSync(join(nginxDir, 'nginx/includes/messenger/gateway-proxy.conf'), 'utf8')).toBe(
      'location /_matrix { proxy_pass http://messenger-synapse-green:3708; }\n',
    )
    expect(log()).toContain('inspect -f {{.State.Running}} {{.State.StartedAt}} messenger-lk-jwt-service-green')
    const forced = run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green', ACTIVE_COLOR: 'blue' })
    expect(forced.status, String(forced.stderr)).toBe(0)
    expect(readFileSync(join(nginxDir, 'nginx/includes/messenger/gateway-proxy.conf'), 'utf8')).toContain('messenger-synapse-blue:3708')
    const none = run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: '' })
    expect(none.status).toBe(1)
    expect(String(none.stderr)).toContain('no colour of messenger-lk-jwt-service is running: set ACTIVE_COLOR=blue or green')
    for (const dir of ['data/postgres', 'data/synapse']) {
      const stat = statSync(join(work, 'bundle', dir))
      expect([stat.uid, (stat.mode & 0o777).toString(8)]).toEqual([process.getuid?.() === 0 ? 1000 : process.getuid?.(), '700'])
    }
  })

  it('create-first-user.sh validates the user name and never puts a password on argv', () => {
    const { run, log } = bundle('standalone')
    const bad = run('create-first-user.sh', ['Alice; rm -rf /'])
    expect(bad.status).toBe(1)
    expect(String(bad.stderr)).toContain('a Matrix user name is lowercase letters')
    const noTty = run('create-first-user.sh', ['alice'])
    expect(String(noTty.stderr)).toContain("use 'messenger-stack register-user'")
    expect(log()).toEqual([])
  })
})

it('no shell template interpolates a value unquoted', () => {
  const sources = readdirSync(new URL('../src/scripts/', import.meta.url), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(new URL(`../src/scripts/${file}`, import.meta.url), 'utf8'))
  expect(sources.length).toBeGreaterThan(5)
  for (const source of sources) expect(source).not.toMatch(/<%\s*[&{]/)
})
