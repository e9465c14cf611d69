// Support contacts (MSC1929): typed in the spec, published at /.well-known/matrix/support.
import { describe, expect, it } from 'vitest'
import { routes, safeParseDeploymentSpec, wellKnownSupport, WellKnownSupportSchema, type SpecIssue } from '../src/index.js'

const base = { serverName: 'example.org', matrixHost: 'matrix.example.org', tls: { letsEncrypt: { email: 'a@example.org' } } }
const parse = (support: unknown) => safeParseDeploymentSpec({ ...base, support })
const brief = (issues: readonly SpecIssue[]) => issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message}`)

describe('support', () => {
  it('becomes the MSC1929 document, in the order written', () => {
    const result = parse({
      contacts: [
        { role: 'admin', matrixId: '@admin:example.org', email: 'admin@example.org' },
        { role: 'security', email: 'security@example.org' },
      ],
      page: 'https://example.org/help',
    })
    if (!result.success) throw new Error(brief(result.issues).join('\n'))
    const document = wellKnownSupport(result.spec)
    expect(document).toEqual({
      contacts: [
        { matrix_id: '@admin:example.org', email_address: 'admin@example.org', role: 'm.role.admin' },
        { email_address: 'security@example.org', role: 'm.role.security', matrix_id: undefined },
      ],
      support_page: 'https://example.org/help',
    })
    expect(WellKnownSupportSchema.safeParse(JSON.parse(JSON.stringify(document))).success).toBe(true)
  })

  it('is served on the server name and the Matrix host, inline, with CORS, in both modes', () => {
    for (const mode of ['standalone', 'microservice'] as const) {
      const input =
        mode === 'standalone'
          ? { ...base, support: { page: 'https://example.org/help' } }
          : { serverName: 'example.org', mode, support: { page: 'https://example.org/help' } }
      const result = safeParseDeploymentSpec(input)
      if (!result.success) throw new Error(brief(result.issues).join('\n'))
      const route = routes(result.spec).find((r) => r.name === 'well-known-support')
      expect(route?.match).toEqual({ kind: 'exact', path: '/.well-known/matrix/support' })
      expect(route?.target).toEqual({
        kind: 'document',
        body: '{"support_page":"https://example.org/help"}',
        contentType: 'application/json',
      })
      expect(route?.cors?.allowOrigin).toBe('*')
      expect(route?.hosts).toEqual(mode === 'standalone' ? ['example.org', 'matrix.example.org'] : ['example.org'])
    }
  })

  it('without a support section nothing is published', () => {
    const result = safeParseDeploymentSpec(base)
    expect(result.success && routes(result.spec).some((r) => r.name === 'well-known-support')).toBe(false)
  })

  it('refuses an empty section, a contact with no way to reach it, and IDs or URLs that are not plain', () => {
    const result = parse({
      contacts: [{ role: 'admin' }, { role: 'owner', email: 'a@example.org' }, { role: 'admin', matrixId: 'admin@example.org' }],
      page: 'http://example.org/$help',
    })
    expect(result.success ? [] : brief(result.issues)).toMatchInlineSnapshot(`
      [
        "invalid_format at support.contacts.0: support.contacts[0] must give a matrixId or an email (or both), so that the contact can be reached (got {"role":"admin"}).",
        "invalid_value at support.contacts.1.role: support.contacts[1].role must be one of "admin", "security" (got "owner").",
        "invalid_format at support.contacts.2.matrixId: support.contacts[2].matrixId must be a Matrix user ID such as "@admin:example.org" (lowercase localpart) (got "admin@example.org").",
        "invalid_format at support.page: support.page must be an https URL such as "https://example.org/help" (a lowercase host; no spaces, quotes or "$") (got "http://example.org/$help").",
      ]
    `)
    const empty = parse({})
    expect(empty.success ? [] : brief(empty.issues)).toMatchInlineSnapshot(`
      [
        "invalid_format at support: support must list at least one contact or a page (leave support out to publish nothing) (got {"contacts":[]}).",
      ]
    `)
  })
})
