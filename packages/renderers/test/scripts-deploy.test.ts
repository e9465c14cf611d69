// The deploy and first-user scripts in action against a fake docker (support/fake-docker.ts),
// including the attacks on microservice deploy.sh: it runs the gateway's scripts and writes
// the gateway's nginx include as root, so files and folders others control are refused.
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseDeploymentSpec } from '@messenger-stack/config-schema'
import { afterEach, describe, expect, it } from 'vitest'
import { exampleInput, exampleSpec } from './_bundle-support.js'
import { fakeDockerBundle, type FakeDockerBundle } from './support/fake-docker.js'

let bundle: FakeDockerBundle | undefined
const cleanups: (() => void)[] = []
afterEach(() => {
  bundle?.remove()
  bundle = undefined
  for (const cleanup of cleanups.splice(0)) cleanup()
})

const GATEWAY_PROXY = 'location /_matrix { proxy_pass http://messenger-synapse-${ACTIVE_COLOR}:3708; }\n'

/** A microservice bundle next to a fake nginx-microservice checkout whose scripts log their runs. */
function microservice(): { b: FakeDockerBundle; nginxDir: string; include: string } {
  const b = fakeDockerBundle(exampleSpec('microservice'))
  bundle = b
  const nginxDir = join(b.work, 'nginx-microservice')
  mkdirSync(join(nginxDir, 'scripts/blue-green'), { recursive: true })
  writeFileSync(join(nginxDir, 'scripts/blue-green/deploy-smart.sh'), '#!/bin/sh\necho "deploy-smart $*" >>"$FAKE_LOG"\n', { mode: 0o755 })
  writeFileSync(join(nginxDir, 'scripts/reload-nginx.sh'), '#!/bin/sh\necho reload-nginx >>"$FAKE_LOG"\n', { mode: 0o755 })
  mkdirSync(join(b.work, 'bundle/nginx'))
  writeFileSync(join(b.work, 'bundle/nginx/gateway-proxy.conf'), GATEWAY_PROXY)
  return { b, nginxDir, include: join(nginxDir, 'nginx/includes/messenger/gateway-proxy.conf') }
}

/** The attacks plant files as another user, which needs root (CI runs the suite as root). */
function requireRoot(): void {
  expect(process.getuid?.(), 'these attack tests chown files to another user: run the suite as root, as CI does').toBe(0)
}

describe('deploy.sh (microservice)', () => {
  it('starts the core, then the blue/green deploy, then installs the gateway include and reloads', () => {
    const { b, nginxDir, include } = microservice()
    const result = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(result.status, String(result.stderr)).toBe(0)
    expect(b.log().filter((line) => !line.startsWith('inspect'))).toEqual([
      'network inspect nginx-network',
      'volume inspect messenger-postgres-data',
      'volume inspect messenger-synapse-data',
      // Synapse's database role gets its own password before the core starts (sync_database_role).
      'compose -p messenger_core -f docker-compose.core.yml up -d postgres',
      'compose -p messenger_core -f docker-compose.core.yml exec -T postgres sh -c PGPASSWORD="$(cat "$1")" && export PGPASSWORD && exec sh "$2" sh /secrets/postgres_password /docker-entrypoint-initdb.d/10-synapse-database.sh',
      'compose -p messenger_core -f docker-compose.core.yml up -d',
      'deploy-smart messenger',
      'reload-nginx',
    ])
    // The include carries the active colour (the running one) instead of the placeholder.
    expect(readFileSync(include, 'utf8')).toBe('location /_matrix { proxy_pass http://messenger-synapse-green:3708; }\n')
    expect((statSync(include).mode & 0o777).toString(8)).toBe('644')
    expect(b.log()).toContain('inspect -f {{.State.Running}} {{.State.StartedAt}} messenger-lk-jwt-service-green')
    const forced = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green', ACTIVE_COLOR: 'blue' })
    expect(forced.status, String(forced.stderr)).toBe(0)
    expect(readFileSync(include, 'utf8')).toContain('messenger-synapse-blue:3708')
    const none = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: '' })
    expect(none.status).toBe(1)
    expect(String(none.stderr)).toContain('no colour of messenger-lk-jwt-service is running: set ACTIVE_COLOR=blue or green')
    for (const dir of ['data/postgres', 'data/synapse']) {
      const stat = statSync(join(b.work, 'bundle', dir))
      expect([stat.uid, (stat.mode & 0o777).toString(8)]).toEqual([b.uid, '700'])
    }
  })

  it("refuses to run the gateway's deploy script when another user owns it", () => {
    requireRoot()
    const { b, nginxDir } = microservice()
    chownSync(join(nginxDir, 'scripts/blue-green/deploy-smart.sh'), 1000, 1000)
    const result = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('deploy-smart.sh belongs to UID 1000, not to root or to UID 0')
    expect(b.log()).not.toContain('deploy-smart messenger')
    expect(b.log().some((line) => line.includes(' up -d'))).toBe(false)
  })

  it('refuses a gateway checkout inside a folder another user owns or others can write', () => {
    requireRoot()
    const { b, nginxDir } = microservice()
    chownSync(join(nginxDir, 'scripts'), 1000, 1000)
    const owned = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(owned.status).toBe(1)
    expect(String(owned.stderr)).toMatch(/nginx-microservice\/scripts belongs to UID 1000/)
    chownSync(join(nginxDir, 'scripts'), 0, 0)
    chmodSync(nginxDir, 0o777)
    const writable = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(writable.status).toBe(1)
    expect(String(writable.stderr)).toMatch(/nginx-microservice is writable by other users \(mode 777\): chmod go-w/)
    expect(b.log()).not.toContain('deploy-smart messenger')
  })

  it('never writes through a symlink planted where the include or its old temporary file goes', () => {
    const { b, nginxDir, include } = microservice()
    const victim = join(b.work, 'victim')
    writeFileSync(victim, 'untouched\n', { mode: 0o600 })
    mkdirSync(join(nginxDir, 'nginx/includes/messenger'), { recursive: true })
    // The old script wrote "$INCLUDE.tmp" with ">" (following a symlink) and chmod'ed it.
    symlinkSync(victim, `${include}.tmp`)
    symlinkSync(victim, include)
    const result = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(result.status, String(result.stderr)).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n')
    expect((statSync(victim).mode & 0o777).toString(8)).toBe('600')
    expect(lstatSync(include).isFile()).toBe(true)
    expect(readFileSync(include, 'utf8')).toContain('messenger-synapse-green:3708')
    expect(existsSync(`${include}.tmp`)).toBe(true) // the planted link is left alone, never used
  })

  it("refuses to run the gateway's reload script when another user owns it", () => {
    requireRoot()
    const { b, nginxDir } = microservice()
    chownSync(join(nginxDir, 'scripts/reload-nginx.sh'), 1000, 1000)
    const result = b.run('deploy.sh', [], { NGINX_MICROSERVICE_DIR: nginxDir, FAKE_RUNNING: 'green' })
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('reload-nginx.sh belongs to UID 1000')
    expect(b.log()).not.toContain('reload-nginx')
  })
})

describe('deploy-standalone.sh and create-first-user.sh', () => {
  it('deploy-standalone.sh refuses a secrets folder others can read', () => {
    bundle = fakeDockerBundle(exampleSpec('standalone'))
    chmodSync(join(bundle.work, 'bundle/secrets'), 0o755)
    const result = bundle.run('deploy-standalone.sh')
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain('secrets/ must not be readable by others: chmod 700 secrets')
    expect(bundle.log()).toEqual([])
  })

  it('create-first-user.sh validates the user name and never puts a password on argv', () => {
    bundle = fakeDockerBundle(exampleSpec('standalone'))
    const bad = bundle.run('create-first-user.sh', ['Alice; rm -rf /'])
    expect(bad.status).toBe(1)
    expect(String(bad.stderr)).toContain('a Matrix user name is lowercase letters')
    const noTty = bundle.run('create-first-user.sh', ['alice'])
    expect(String(noTty.stderr)).toContain("use 'messenger-stack register-user'")
    expect(bundle.log()).toEqual([])
  })
})

describe('deploy-standalone.sh: own certificate files, and what it waits for', () => {
  /** A standalone bundle whose spec names certificate files in `certs/` of the test folder. */
  function withCertificateFiles(): { b: FakeDockerBundle; certificate: string; key: string } {
    const work = mkdtempSync(join(tmpdir(), 'ms-certs-'))
    chmodSync(work, 0o755) // as /etc/ssl would be: only the key itself is private
    const certs = join(work, 'certs')
    mkdirSync(certs, { mode: 0o755 })
    const certificate = join(certs, 'fullchain.pem')
    const key = join(certs, 'privkey.pem')
    writeFileSync(certificate, 'TEST CERTIFICATE\n', { mode: 0o644 })
    writeFileSync(key, 'TEST KEY\n', { mode: 0o600 })
    const spec = parseDeploymentSpec({
      ...(exampleInput('standalone') as Record<string, unknown>),
      tls: { certificateFiles: { certificate, key } },
    })
    const b = fakeDockerBundle(spec)
    bundle = b
    cleanups.push(() => rmSync(work, { recursive: true, force: true }))
    return { b, certificate, key }
  }

  it('refuses a key only root can read (nginx runs as the container user), and a folder it cannot enter; starts nothing', () => {
    requireRoot()
    const { b, key } = withCertificateFiles()
    const result = b.run('deploy-standalone.sh')
    expect(result.status).toBe(1)
    expect(String(result.stderr)).toContain(`certificate file ${key} is not readable by UID 1000, the user nginx runs as`)
    // Checked before anything starts, PostgreSQL included.
    expect(b.log().some((line) => line.includes(' up '))).toBe(false)
    // Readable file, but a folder on the way the container user cannot enter.
    chownSync(key, 1000, 1000)
    chmodSync(dirname(key), 0o700)
    const blocked = b.run('deploy-standalone.sh')
    expect(blocked.status).toBe(1)
    expect(String(blocked.stderr)).toContain('is not readable by UID 1000')
    chmodSync(dirname(key), 0o755)
    const ok = b.run('deploy-standalone.sh')
    expect(ok.status, String(ok.stderr)).toBe(0)
  })

  it('says "deployed" only after Synapse and nginx are up', () => {
    bundle = fakeDockerBundle(exampleSpec('standalone'))
    const result = bundle.run('deploy-standalone.sh')
    expect(result.status, String(result.stderr)).toBe(0)
    const waits = bundle.log().filter((line) => line.startsWith('inspect --format'))
    expect(waits.map((line) => line.split(' ').at(-1)).slice(-2)).toEqual(['messenger-synapse', 'messenger-nginx'])
    const stderr = String(result.stderr)
    expect(stderr.indexOf('waiting for messenger-nginx')).toBeLessThan(stderr.indexOf('deployed: https://'))
  })
})
