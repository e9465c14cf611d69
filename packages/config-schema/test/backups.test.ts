import { describe, expect, it } from 'vitest'
import { safeParseDeploymentSpec } from '../src/index.js'

const base = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
const problems = (backups: unknown) => {
  const result = safeParseDeploymentSpec({ ...base, backups })
  return result.success ? [] : result.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}
const AGE = 'age104ldwvdds0gfh3l4x4k2pclvrecp9gu5e90vuaw4gs6ndq4x5qasrvjl2y'

describe('backups', () => {
  it('accepts age and gpg recipients and plain backups said plainly', () => {
    expect(problems({ encryption: 'age', recipients: [AGE] })).toEqual([])
    expect(problems({ encryption: 'gpg', recipients: ['0123456789ABCDEF0123456789ABCDEF01234567'] })).toEqual([])
    expect(problems({ encryption: 'none' })).toEqual([])
  })

  it('refuses encryption without recipients, malformed keys, and recipients for plain backups', () => {
    expect(problems({ encryption: 'age', recipients: [] })).toHaveLength(1)
    expect(problems({ encryption: 'age', recipients: ['age1short'] })[0]).toContain('must be an age public key')
    expect(problems({ encryption: 'gpg', recipients: ['0123456789abcdef'] })[0]).toContain('full OpenPGP fingerprint')
    expect(problems({ encryption: 'none', recipients: [AGE] })[0]).toMatch(/recipients/)
    expect(problems({ encryption: 'zip' })).toHaveLength(1)
  })
})
