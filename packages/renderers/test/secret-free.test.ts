import { describe, expect, it } from 'vitest'
import { derivedSecretFiles, parseSecrets, type Secrets } from '@messenger-stack/config-schema'
import { generateSecrets } from '@messenger-stack/config-schema/node'
import { renderAll } from '../src/render-all.js'
import { EXAMPLES, TEST_SECRETS, exampleSpec } from './_bundle-support.js'

// Keys that would carry a secret inline; the bundle must only use their *_path / *_FILE forms.
const INLINE_SECRET_KEY =
  /^\s*(?:macaroon_secret_key|registration_shared_secret|form_secret|password|requirepass|api_secret|keys|LIVEKIT_SECRET|LIVEKIT_API_SECRET|POSTGRES_PASSWORD|REDIS_PASSWORD|PGPASSWORD)\s*[:=]\s*\S/m

describe.each(EXAMPLES)('the %s bundle carries no secret', (name) => {
  const spec = exampleSpec(name)
  const files = renderAll(spec)

  it.each([
    ['fixed test secrets', parseSecrets(TEST_SECRETS)],
    ['freshly generated secrets', generateSecrets()],
  ] as [string, Secrets][])('no rendered file contains any of the %s', (_label, secrets) => {
    const values = [
      ...Object.values(secrets),
      ...derivedSecretFiles(spec, secrets).map(
        (file) =>
          file.content
            .split('\n')
            .filter((line) => /[A-Za-z0-9]/.test(line))
            .at(-1)!,
      ),
    ]
    // The derived files do hold the values, so the search below looks for the right strings.
    expect(derivedSecretFiles(spec, secrets).some((file) => file.content.includes(secrets.redisPassword.slice(0, 12)))).toBe(true)
    for (const file of files) {
      for (const value of values) expect(file.content.includes(value), `${file.path} contains a secret`).toBe(false)
      // Not even a recognisable piece of one.
      for (const value of Object.values(secrets)) expect(file.content.includes(value.slice(-16)), file.path).toBe(false)
    }
  })

  it('no rendered file sets a secret-bearing key inline', () => {
    for (const file of files) expect(INLINE_SECRET_KEY.exec(file.content)?.[0], file.path).toBeUndefined()
  })
})
