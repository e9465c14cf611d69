import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { renderAll } from '@messenger-stack/renderers'
import { describe, expect, it } from 'vitest'
import { redactSecretLines } from '../src/_redact-secrets.js'
import { MINIMAL_SPEC, run, tempDir } from './_helpers.js'

// Values no secrets folder knows, typed into rendered files by hand (TEST-ONLY values).
const TYPED = ['TEST-ONLY-smtp-hunter2', 'TEST-ONLY-oidc-abc123', 'TEST-ONLY-redis-pw', 'TEST-ONLY-livekit-key-secret', 'TEST-ONLY-db-pw']

describe('hand-edited files are shown with secret-looking lines redacted', () => {
  it('render (refusing) and diff never print a secret typed into a rendered file', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'deployment.yaml'), MINIMAL_SPEC)
    expect((await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    const homeserver = join(dir, 'out/synapse/config/homeserver.yaml')
    writeFileSync(
      homeserver,
      `${readFileSync(homeserver, 'utf8')}email:\n  smtp_host: mail.example.org\n  smtp_pass: ${TYPED[0]}\noidc_providers:\n  - idp_id: corp\n    client_secret: "${TYPED[1]}"\ndatabase_url: postgres://synapse:${TYPED[4]}@db/synapse\n`,
    )
    const livekit = join(dir, 'out/livekit/config.yaml')
    writeFileSync(livekit, `${readFileSync(livekit, 'utf8')}keys:\n  messenger: ${TYPED[3]}\n`)
    const env = join(dir, 'out/.env.example')
    writeFileSync(env, `${readFileSync(env, 'utf8')}REDIS_PASSWORD=${TYPED[2]}\n`)

    const refused = await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    const diff = await run(['diff', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(refused.code).toBe(1)
    expect(diff.code).toBe(1)
    for (const output of [refused.stderr, diff.stdout]) {
      for (const value of TYPED) expect(output).not.toContain(value)
      // Which setting changed still shows.
      expect(output).toContain('-  smtp_pass: <redacted>')
      expect(output).toContain('-    client_secret: <redacted>')
      expect(output).toContain('-  smtp_host: mail.example.org')
      expect(output).toContain('-database_url: postgres://synapse:<redacted>@db/synapse')
      expect(output).toContain('-  messenger: <redacted>')
      expect(output).toContain('-REDIS_PASSWORD=<redacted>')
    }
  })

  it('a file that differs only in a secret-looking line says so, without a diff', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'deployment.yaml'), MINIMAL_SPEC)
    expect((await run(['render', 'deployment.yaml', '--out', 'out'], { cwd: dir })).code).toBe(0)
    const livekit = join(dir, 'out/livekit/config.yaml')
    writeFileSync(livekit, readFileSync(livekit, 'utf8').replace(/api_key: .*/, `api_key: ${TYPED[3]}`))
    const diff = await run(['diff', 'deployment.yaml', '--out', 'out'], { cwd: dir })
    expect(diff.code).toBe(1)
    expect(diff.stdout).not.toContain(TYPED[3])
    expect(diff.stdout).toContain(
      '--- a/livekit/config.yaml\n+++ b/livekit/config.yaml\n(differs only in lines that look like secrets; they are not shown)',
    )
  })

  it('formats: YAML (nested, quoted, block scalars), JSON, .env, nginx, Redis, URLs, PEM', () => {
    expect(
      redactSecretLines(
        [
          'smtp_pass: hunter2',
          'email:',
          '  smtp_user: bob',
          '  smtp_password: "two words"',
          '"client_secret": "abc",',
          'macaroon_secret_key_path: /secrets/synapse_macaroon_secret_key',
          'passfile: /secrets/synapse.pgpass',
          'registration_requires_token: true',
          'keys:',
          '  messenger: abcdef',
          'port: 7880',
          'REDIS_PASSWORD=supersecret',
          'export API_TOKEN=tok',
          'POSTGRES_PASSWORD_FILE=/secrets/postgres_password',
          'requirepass "a b"',
          'proxy_pass http://synapse:8008;',
          'proxy_set_header Authorization "Bearer abc.def";',
          'url: postgres://synapse:pa55@db/synapse',
          'private_key: |',
          '  -----BEGIN PRIVATE KEY-----',
          '  MIIBVgIBADANBg',
          '  -----END PRIVATE KEY-----',
          "password = 'pg'",
          '- password: x',
        ].join('\n'),
      ),
    ).toMatchInlineSnapshot(`
      "smtp_pass: <redacted>
      email:
        smtp_user: bob
        smtp_password: <redacted>
      "client_secret": <redacted>,
      macaroon_secret_key_path: /secrets/synapse_macaroon_secret_key
      passfile: /secrets/synapse.pgpass
      registration_requires_token: true
      keys:
        messenger: <redacted>
      port: 7880
      REDIS_PASSWORD=<redacted>
      export API_TOKEN=<redacted>
      POSTGRES_PASSWORD_FILE=/secrets/postgres_password
      requirepass <redacted>
      proxy_pass http://synapse:8008;
      proxy_set_header Authorization "Bearer <redacted>";
      url: postgres://synapse:<redacted>@db/synapse
      private_key: |
        <redacted>
        <redacted>
        -----END PRIVATE KEY-----
      password = <redacted>
      - password: <redacted>"
    `)
  })

  it("changes nothing in the examples' rendered files but LiveKit's api_key (a key name, redacted to be safe)", async () => {
    for (const example of ['standalone', 'microservice']) {
      const spec = await loadDeploymentSpec(join(import.meta.dirname, `../../../examples/${example}/deployment.yaml`))
      for (const file of renderAll(spec)) {
        const before = file.content.split('\n')
        const after = redactSecretLines(file.content).split('\n')
        const changed = before.filter((line, index) => line !== after[index])
        expect(
          changed.every((line) => /^\s*api_key: /.test(line)),
          `${file.path}: ${changed.join(' | ')}`,
        ).toBe(true)
      }
    }
  })
})
