import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { deriveValues, parseDeploymentSpec, safeParseDeploymentSpec, SpecError } from '../src/index.js'

const example = (name: string) =>
  parse(readFileSync(fileURLToPath(new URL(`../../../examples/${name}/deployment.yaml`, import.meta.url)), 'utf8'), { version: '1.1' })

describe('parseDeploymentSpec', () => {
  it.each(['standalone', 'microservice'])('accepts examples/%s', (name) => {
    const spec = parseDeploymentSpec(example(name))
    expect(spec.mode).toBe(name)
  })

  it('applies defaults for a minimal spec', () => {
    const spec = parseDeploymentSpec({ serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } })
    expect(spec.serviceName).toBe('messenger')
    expect(spec.synapse.registration.mode).toBe('disabled')
    expect(spec.livekit.jwtPath).toBe('/livekit/jwt')
    expect(spec.containerUser).toEqual({ uid: 1000, gid: 1000 })
    expect(deriveValues(spec).livekitMedia).toEqual({ kind: 'mux', udpPort: 7882 })
  })

  it('collects every field issue before failing', () => {
    const result = safeParseDeploymentSpec({ serverName: 'Bad_Name', containerUser: { uid: 0, gid: 0 }, livekti: {} })
    expect(result.success).toBe(false)
    expect(result.issues.map((i) => [i.path.join('.'), i.code])).toEqual([
      ['serverName', 'invalid_format'],
      ['containerUser.uid', 'out_of_range'],
      ['containerUser.gid', 'out_of_range'],
      ['livekti', 'unknown_key'],
      // Cross-field rules whose sections are valid run too: all issues at once.
      ['tls', 'tls_choice'],
    ])
    expect(result.issues[3]?.hint).toBe('did you mean "livekit"?')
  })

  it('throws SpecError carrying the issues', () => {
    expect(() => parseDeploymentSpec({})).toThrow(SpecError)
    try {
      parseDeploymentSpec({})
    } catch (error) {
      expect((error as SpecError).issues[0]).toMatchObject({ path: ['serverName'], code: 'missing_field' })
    }
  })
})
