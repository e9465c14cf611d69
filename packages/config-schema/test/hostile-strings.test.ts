import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec, type DeploymentSpecInput } from '../src/index.js'

const standalone: DeploymentSpecInput = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
const microservice: DeploymentSpecInput = { serverName: 'example.org', mode: 'microservice' }

/** Sets `value` at `path` in a copy of `spec`. */
function withValue(spec: DeploymentSpecInput, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(spec) as Record<string | number, unknown>
  let node = copy
  path.forEach((part, index) => {
    if (index === path.length - 1) node[part] = value
    else {
      node[part] ??= typeof path[index + 1] === 'number' ? [] : {}
      node = node[part] as Record<string | number, unknown>
    }
  })
  return copy
}

const HOSTILE = [
  'example.org\nevil: true',
  'example.org;',
  'example.org; return 200',
  '{example}.org',
  '$host.example.org',
  'example.org"',
  "example.org'",
  'example.org\u0000',
  'example.org\r',
  'a'.repeat(10_000),
  ' example.org',
  'example.org/path',
  '${ACTIVE_COLOR}.example.org',
  '`id`.example.org',
]

// Fields that end up in nginx, YAML, JSON, shell, SQL or .env: every hostile string is refused.
const STRICT_FIELDS: readonly [DeploymentSpecInput, readonly (string | number)[]][] = [
  [standalone, ['serverName']],
  [standalone, ['matrixHost']],
  [standalone, ['serviceName']],
  [standalone, ['elementWeb', 'host']],
  [standalone, ['livekit', 'host']],
  [standalone, ['livekit', 'turn', 'domain']],
  [standalone, ['livekit', 'keyName']],
  [standalone, ['livekit', 'jwtPath']],
  [standalone, ['livekit', 'sfuPath']],
  [standalone, ['livekit', 'nodeIp']],
  [standalone, ['synapse', 'federation', 'allowList', 0]],
  [standalone, ['synapse', 'maxUploadSize']],
  [standalone, ['redis', 'maxMemory']],
  [standalone, ['postgres', 'database']],
  [standalone, ['postgres', 'user']],
  [standalone, ['tls', 'letsEncrypt', 'email']],
  [standalone, ['tls', 'certificateFiles', 'certificate']],
  [standalone, ['tls', 'certificateFiles', 'key']],
  [standalone, ['images', 'synapse']],
  [standalone, ['images', 'nginx']],
  [microservice, ['gateway', 'network']],
  [microservice, ['gateway', 'activeColorPlaceholder']],
]

const pathText = (path: readonly (string | number)[]) => path.join('.')

describe('hostile strings', () => {
  it.each(STRICT_FIELDS.map(([spec, path]) => [pathText(path), spec, path] as const))(
    '%s refuses every hostile string',
    (_, spec, path) => {
      for (const value of HOSTILE) {
        const result = safeParseDeploymentSpec(withValue(spec, path, value))
        expect(result.success, `${pathText(path)} accepted ${JSON.stringify(value)}`).toBe(false)
        const issue = result.issues.find((i) => pathText(i.path) === pathText(path))
        expect(issue, `no issue at ${pathText(path)} for ${JSON.stringify(value)}`).toBeDefined()
        // Messages quote values JSON-escaped and cut short: nothing raw, nothing huge.
        expect(issue!.message).not.toMatch(/\p{Cc}/u)
        expect(issue!.message.length).toBeLessThan(400)
      }
    },
  )

  it('free text (elementWeb.brand) refuses control characters and very long values', () => {
    for (const value of ['Chat\nEvil', 'Chat\u0000', 'Chat\r', 'Chat\u001b[2J', 'x'.repeat(201)]) {
      expect(safeParseDeploymentSpec(withValue(standalone, ['elementWeb', 'brand'], value)).success, JSON.stringify(value)).toBe(false)
    }
  })

  it('free text keeps punctuation that renderers must escape (;, {, $, quotes)', () => {
    for (const value of ['Chat; {x} $HOME "quoted" \'single\' `tick`', 'Ünïcödé 💬']) {
      const result = safeParseDeploymentSpec(withValue(standalone, ['elementWeb', 'brand'], value))
      expect(result.success, JSON.stringify(result.issues)).toBe(true)
    }
  })

  it('any string in a host field is either a clean DNS name or refused (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        const result = safeParseDeploymentSpec(withValue(standalone, ['matrixHost'], value))
        if (result.success) expect(result.spec.matrixHost).toMatch(/^[a-z0-9.-]+$/)
      }),
      { numRuns: 300 },
    )
  })
})
