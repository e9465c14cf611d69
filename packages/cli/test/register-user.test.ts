import { execFileSync } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { registrationMac } from '../src/commands/register-user.js'
import { run, tempDir } from './_helpers.js'

const SHARED_SECRET = 'TEST-ONLY-registration-shared-secret-0123456789'
const PASSWORD = 'TEST-ONLY-password-of-alice'

/** A stand-in for Synapse's shared-secret registration API on 127.0.0.1 that checks the mac. */
function synapseStub() {
  const nonces = new Set<string>()
  const registered: { username: string; admin: boolean; password: string }[] = []
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url !== '/_synapse/admin/v1/register') return send(404, { errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' })
    if (req.method === 'GET') {
      const nonce = randomBytes(16).toString('hex')
      nonces.add(nonce)
      return send(200, { nonce })
    }
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      const body = JSON.parse(text) as { nonce: string; username: string; password: string; admin: boolean; mac: string }
      if (!nonces.delete(body.nonce)) return send(400, { errcode: 'M_UNKNOWN', error: 'unrecognised nonce' })
      const mac = createHmac('sha1', SHARED_SECRET)
      mac.update(`${body.nonce}\0${body.username}\0${body.password}\0${body.admin ? 'admin' : 'notadmin'}`)
      if (mac.digest('hex') !== body.mac) return send(403, { errcode: 'M_FORBIDDEN', error: 'HMAC incorrect' })
      if (registered.some((u) => u.username === body.username))
        return send(400, { errcode: 'M_USER_IN_USE', error: 'User ID already taken.' })
      registered.push({ username: body.username, admin: body.admin, password: body.password })
      send(200, { user_id: `@${body.username}:example.org`, access_token: 'TEST-ONLY-access-token', device_id: 'D' })
    })
  }
  return { handler, registered }
}

const servers: { close(): void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

async function listen(server: ReturnType<typeof createHttpServer>): Promise<number> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

function secretsDir(dir: string, secret = SHARED_SECRET): void {
  mkdirSync(join(dir, 'secrets'), { mode: 0o700 })
  writeFileSync(join(dir, 'secrets/synapse_registration_shared_secret'), secret, { mode: 0o600 })
  writeFileSync(join(dir, 'pw'), `${PASSWORD}\n`, { mode: 0o600 })
}

describe('register-user', () => {
  it('computes the documented mac', () => {
    expect(registrationMac('secret', 'nonce', 'alice', 'pw', true)).toBe(
      createHmac('sha1', 'secret').update('nonce\0alice\0pw\0admin').digest('hex'),
    )
  })

  it("registers over http with a verified HMAC; a second time is refused with Synapse's error (exit 1)", async () => {
    const stub = synapseStub()
    const port = await listen(createHttpServer(stub.handler))
    const dir = tempDir()
    secretsDir(dir)
    const argv = [
      'register-user',
      'alice',
      '--admin',
      '--url',
      `http://127.0.0.1:${port}/`,
      '--secrets',
      'secrets',
      '--password-file',
      'pw',
    ]
    const ok = await run(argv, { cwd: dir })
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toBe('✔ Registered @alice:example.org (server admin).\n')
    expect(stub.registered).toEqual([{ username: 'alice', admin: true, password: PASSWORD }])
    const again = await run([...argv, '--json'], { cwd: dir })
    expect(again.code).toBe(1)
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: false,
      error: 'Synapse refused to register alice (HTTP 400: M_USER_IN_USE: User ID already taken.).',
    })
    for (const output of [ok.stdout, ok.stderr, again.stdout, again.stderr]) {
      expect(output).not.toContain(SHARED_SECRET)
      expect(output).not.toContain(PASSWORD)
      expect(output).not.toContain('TEST-ONLY-access-token')
    }
  })

  it("registers through Synapse's admin socket (--socket), the way DEPLOY.md says", async () => {
    const stub = synapseStub()
    const dir = tempDir()
    secretsDir(dir)
    mkdirSync(join(dir, 'data/synapse'), { recursive: true, mode: 0o700 })
    const server = createHttpServer(stub.handler)
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(join(dir, 'data/synapse/admin.sock'), resolve))
    const argv = ['register-user', 'bob', '--socket', 'data/synapse/admin.sock', '--secrets', 'secrets', '--password-file', 'pw']
    const ok = await run(argv, { cwd: dir })
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toBe('✔ Registered @bob:example.org.\n')
    expect(stub.registered).toEqual([{ username: 'bob', admin: false, password: PASSWORD }])
    const both = await run([...argv, '--url', 'http://127.0.0.1:1'], { cwd: dir })
    expect([both.code, both.stderr.trim()]).toEqual([2, '✖ Give --socket or --url, not both.'])
    const missing = await run(['register-user', 'bob', '--socket', 'nowhere.sock', '--secrets', 'secrets', '--password-file', 'pw'], {
      cwd: dir,
    })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("Cannot reach Synapse's admin socket nowhere.sock: ENOENT")
  })

  it('refuses a server admin password under 12 characters before contacting Synapse, unless --allow-weak-password', async () => {
    const stub = synapseStub()
    const port = await listen(createHttpServer(stub.handler))
    const dir = tempDir()
    secretsDir(dir)
    const register = (user: string, password: string, ...flags: string[]) => {
      writeFileSync(join(dir, 'short'), `${password}\n`)
      return run(
        ['register-user', user, '--url', `http://127.0.0.1:${port}`, '--secrets', 'secrets', '--password-file', 'short', ...flags],
        {
          cwd: dir,
        },
      )
    }
    const weak = await register('root1', 'TEST-ONLY-1', '--admin') // 11 characters
    expect(weak.code).toBe(1)
    expect(weak.stderr).toMatchInlineSnapshot(`
      "✖ The password for the server admin root1 has 11 characters; an admin password needs at least 12 (an admin can read and delete everything). Nothing was sent. Choose a longer one, or pass --allow-weak-password to register it anyway.
      "
    `)
    // Code points, not UTF-16 units: eleven emoji are eleven characters.
    expect((await register('root2', '😀'.repeat(11), '--admin')).code).toBe(1)
    expect(stub.registered).toEqual([])
    expect((await register('root3', 'TEST-ONLY-12', '--admin')).code).toBe(0)
    expect((await register('root4', 'TEST-ONLY-1', '--admin', '--allow-weak-password')).code).toBe(0)
    expect((await register('user5', 'TEST-ONLY-1')).code).toBe(0) // not an admin
    expect(stub.registered.map((u) => u.username)).toEqual(['root3', 'root4', 'user5'])
  })

  it('reads the password from standard input with --password-file -', async () => {
    const stub = synapseStub()
    const port = await listen(createHttpServer(stub.handler))
    const dir = tempDir()
    secretsDir(dir)
    const stdin = new PassThrough()
    stdin.end(`${PASSWORD}\n`)
    const result = await run(
      ['register-user', 'bob', '--url', `http://127.0.0.1:${port}`, '--secrets', 'secrets', '--password-file', '-'],
      { cwd: dir, stdin },
    )
    expect(result.code, result.stderr).toBe(0)
    expect(stub.registered).toEqual([{ username: 'bob', admin: false, password: PASSWORD }])
  })

  it('a wrong shared secret is a clear refusal', async () => {
    const port = await listen(createHttpServer(synapseStub().handler))
    const dir = tempDir()
    secretsDir(dir, 'TEST-ONLY-wrong-secret-000000000000000000')
    const result = await run(
      ['register-user', 'alice', '--url', `http://127.0.0.1:${port}`, '--secrets', 'secrets', '--password-file', 'pw'],
      { cwd: dir },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('(HTTP 403: M_FORBIDDEN: HMAC incorrect)')
    expect(result.stderr).not.toContain('TEST-ONLY-wrong-secret')
  })

  it('never prompts without a terminal, and network failures are exit 2', async () => {
    const dir = tempDir()
    secretsDir(dir)
    const noTty = await run(['register-user', 'alice', '--url', 'http://127.0.0.1:9', '--secrets', 'secrets'], {
      cwd: dir,
      stdin: new PassThrough(),
    })
    expect(noTty.code).toBe(2)
    expect(noTty.stderr).toMatchInlineSnapshot(`
      "✖ No terminal to ask for the password: pass --password-file FILE (or --password-file - to read standard input).
      "
    `)
    const closed = await listen(createHttpServer(() => undefined))
    servers.pop()?.close()
    const refused = await run(
      ['register-user', 'alice', '--url', `http://127.0.0.1:${closed}`, '--secrets', 'secrets', '--password-file', 'pw'],
      { cwd: dir },
    )
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain(`Cannot reach http://127.0.0.1:${closed}: ECONNREFUSED`)
    expect(
      (await run(['register-user', 'alice', '--url', 'ftp://x', '--secrets', 'secrets', '--password-file', 'pw'], { cwd: dir })).code,
    ).toBe(2)
    expect(
      (await run(['register-user', 'Alice!', '--url', 'http://127.0.0.1:9', '--secrets', 'secrets', '--password-file', 'pw'], { cwd: dir }))
        .code,
    ).toBe(2)
  })

  it('talks https to a self-signed server with --ca-file or --insecure, and refuses it otherwise', async () => {
    const dir = tempDir()
    secretsDir(dir)
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' })
    } catch {
      throw new Error('openssl is needed for this test: install it (apt-get install openssl, or run .ci/provision.sh).')
    }
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        'key.pem',
        '-out',
        'cert.pem',
        '-days',
        '2',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { cwd: dir, stdio: 'ignore' },
    )
    const stub = synapseStub()
    const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, stub.handler)
    const port = await listen(server as unknown as ReturnType<typeof createHttpServer>)
    const base = ['--url', `https://127.0.0.1:${port}`, '--secrets', 'secrets', '--password-file', 'pw']
    const untrusted = await run(['register-user', 'carol', ...base], { cwd: dir })
    expect(untrusted.code).toBe(2)
    expect(untrusted.stderr).toMatch(/Cannot reach https:\/\/127\.0\.0\.1:\d+: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/)
    expect((await run(['register-user', 'carol', ...base, '--ca-file', 'cert.pem'], { cwd: dir })).code).toBe(0)
    expect((await run(['register-user', 'dave', ...base, '--insecure'], { cwd: dir })).code).toBe(0)
    expect(stub.registered.map((u) => u.username)).toEqual(['carol', 'dave'])
  })
})
