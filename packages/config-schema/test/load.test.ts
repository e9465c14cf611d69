import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import {
  formatIssues,
  loadDeploymentSpecText,
  parseDeploymentSpec,
  safeLoadDeploymentSpecText,
  SpecError,
  specFormatOf,
  type SpecIssue,
} from '../src/index.js'
import { loadDeploymentSpec, safeLoadDeploymentSpec } from '../src/node.js'
import { EXAMPLES, repoFile, repoPath } from './_helpers.js'

const scratch = mkdtempSync(join(tmpdir(), 'spec-load-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const issuesOf = (text: string, file: string): readonly SpecIssue[] => {
  const result = safeLoadDeploymentSpecText(text, file)
  expect(result.success).toBe(false)
  return result.issues
}

const at = (issues: readonly SpecIssue[], path: string) => {
  const issue = issues.find((i) => i.path.join('.') === path)
  expect(issue, `no issue at ${path}: ${JSON.stringify(issues)}`).toBeDefined()
  return `${issue!.code} ${issue!.line}:${issue!.column}`
}

describe('loadDeploymentSpec', () => {
  it.each(EXAMPLES)('loads examples/%s from its file, as parseDeploymentSpec does', async (name) => {
    const file = repoPath(`examples/${name}/deployment.yaml`)
    const spec = await loadDeploymentSpec(file)
    expect(spec).toEqual(parseDeploymentSpec(parseYaml(repoFile(`examples/${name}/deployment.yaml`), { version: '1.1' })))
    // Kubernetes examples are microservice mode too (the cluster's Ingress is the gateway).
    expect(spec.mode).toBe(/microservice|kubernetes/.test(name) ? 'microservice' : 'standalone')
  })

  it('throws SpecError with positions for an invalid file, and never a stack trace in the message', async () => {
    const file = join(scratch, 'bad.yaml')
    writeFileSync(file, 'serverName: example.org\ncontainerUser:\n  uid: 0\n  gid: 1000\n')
    const error = await loadDeploymentSpec(file).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SpecError)
    const issues = (error as SpecError).issues
    expect(issues.map((i) => [i.path.join('.'), i.file, i.line, i.column])).toEqual([
      ['tls', file, 1, 1],
      ['containerUser.uid', file, 3, 8],
    ])
    expect((error as SpecError).message).toContain(`${file}:3:8`)
    expect((error as SpecError).message).not.toMatch(/\n\s+at /)
  })

  it('rejects I/O errors as they are, so callers can tell "cannot read" from "invalid"', async () => {
    await expect(safeLoadDeploymentSpec(join(scratch, 'missing.yaml'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('picks the format from the extension', () => {
    expect(['a.yaml', 'a.yml', 'A.JSON', 'a.toml', 'spec'].map(specFormatOf)).toEqual(['yaml', 'yaml', 'json', 'toml', 'yaml'])
  })
})

describe('loadDeploymentSpecText', () => {
  const yaml =
    'serverName: example.org\ntls:\n  letsEncrypt:\n    email: admin@example.org\nlivekit:\n  tcpPort: 7882\n  turn:\n    udpPort: 3479\n'
  const json = JSON.stringify(
    {
      serverName: 'example.org',
      tls: { letsEncrypt: { email: 'admin@example.org' } },
      livekit: { tcpPort: 7882, turn: { udpPort: 3479 } },
    },
    null,
    2,
  )
  const toml =
    'serverName = "example.org"\n\n[tls.letsEncrypt]\nemail = "admin@example.org"\n\n[livekit]\ntcpPort = 7882\nturn = { udpPort = 3479 }\n'

  it('reads the same spec from YAML, JSON and TOML', () => {
    const fromYaml = loadDeploymentSpecText(yaml, 'd.yaml')
    expect(loadDeploymentSpecText(json, 'd.json')).toEqual(fromYaml)
    expect(loadDeploymentSpecText(toml, 'd.toml')).toEqual(fromYaml)
    expect(loadDeploymentSpecText(yaml, 'spec.txt', { format: 'yaml' })).toEqual(fromYaml)
    expect(fromYaml.livekit.turn.udpPort).toBe(3479)
  })

  it('reads YAML as YAML 1.1, like Synapse and compose (on means true)', () => {
    const spec = loadDeploymentSpecText(`${yaml}synapse:\n  urlPreviews: on\n`, 'd.yaml')
    expect(spec.synapse.urlPreviews).toBe(true)
  })

  it('ignores a byte order mark', () => {
    expect(loadDeploymentSpecText(`\uFEFF${yaml}`, 'd.yaml').serverName).toBe('example.org')
    expect(loadDeploymentSpecText(`\uFEFF${json}`, 'd.json').serverName).toBe('example.org')
  })

  it('points field issues at the value in YAML, JSON and TOML', () => {
    const bad = (text: string) => text.replace('7882', '"x"').replace('7882', '"x"')
    expect(at(issuesOf(bad(yaml), 'd.yaml'), 'livekit.tcpPort')).toBe('invalid_type 6:12')
    expect(at(issuesOf(bad(json), 'd.json'), 'livekit.tcpPort')).toBe('invalid_type 9:16')
    expect(at(issuesOf(bad(toml), 'd.toml'), 'livekit.tcpPort')).toBe('invalid_type 7:11')
  })

  it('points unknown keys at the key, and missing fields at the mapping they are missing from', () => {
    const issues = issuesOf('tls:\n  letsEncrypt:\n    emial: admin@example.org\n', 'd.yaml')
    expect(issues.map((i) => `${i.path.join('.')} ${i.code} ${i.line}:${i.column}`)).toEqual([
      'serverName missing_field 1:1',
      'tls.letsEncrypt.email missing_field 2:3',
      'tls.letsEncrypt.emial unknown_key 3:5',
    ])
  })

  it('gives TOML issues inside inline tables the line of their key', () => {
    const issues = issuesOf(
      'serverName = "example.org"\ncontainerUser = { uid = 0, gid = 0 }\n[tls.letsEncrypt]\nemail = "a@example.org"\n',
      'd.toml',
    )
    expect(issues.map((i) => `${i.path.join('.')} ${i.line}:${i.column}`)).toEqual(['containerUser.uid 2:1', 'containerUser.gid 2:1'])
  })

  it('reports cross-field issues together with field issues, sorted by position', () => {
    const issues = issuesOf(`${yaml}images:\n  redis: redis:latest\n`.replace('tcpPort: 7882', 'tcpPort: 443'), 'd.yaml')
    expect(issues.map((i) => `${i.code} ${i.path.join('.')} ${i.line}`)).toEqual([
      'port_clash livekit.tcpPort 6',
      'invalid_format images.redis 10',
    ])
  })

  it('refuses a YAML alias bomb without expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    ].join('\n')
    const issues = issuesOf(`${bomb}\n`, 'bomb.yaml')
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'syntax_error', line: 1, column: 1 })
  })

  it('refuses deeply nested JSON with a syntax error, not a stack overflow', () => {
    const issues = issuesOf(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'deep.json')
    expect(issues[0]).toMatchObject({ code: 'syntax_error', line: 1, column: 102 })
  })

  it('never throws on arbitrary text, and every issue has a file, line and column (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom(yaml, json, toml).chain((t) => fc.nat({ max: t.length }).map((cut) => t.slice(0, cut))),
    )
    fc.assert(
      fc.property(text, fc.constantFrom('d.yaml', 'd.json', 'd.toml'), (input, file) => {
        const result = safeLoadDeploymentSpecText(input, file)
        const lines = input.split('\n').length
        for (const issue of result.issues) {
          expect(issue.file).toBe(file)
          expect(issue.line).toBeGreaterThanOrEqual(1)
          expect(issue.line).toBeLessThanOrEqual(lines + 1)
          expect(issue.column).toBeGreaterThanOrEqual(1)
          expect(issue.message.length).toBeGreaterThan(0)
          expect(issue.hint.length).toBeGreaterThan(0)
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('formatIssues', () => {
  const issues = issuesOf(
    'serverName: example.org\ntls:\n  letsEncrypt:\n    email: a@example.org\nlivekit:\n  tcpPort: 443\n',
    'deploy.yaml',
  )

  it('renders the house form', () => {
    expect(formatIssues(issues, { color: false })).toMatchInlineSnapshot(`
      "✖ TCP port 443 is used by both livekit.tcpPort and nginx https on the host.
        → at livekit.tcpPort (deploy.yaml:6:12)
        hint: choose a free TCP port for livekit.tcpPort."
    `)
  })

  it('colours only when asked', () => {
    expect(formatIssues(issues, { color: true })).toContain('\u001b[31m✖\u001b[0m')
    expect(formatIssues(issues, { color: false })).not.toContain('\u001b')
  })

  it('shows control characters from files and keys as escapes, never raw', () => {
    const text = formatIssues(
      [
        {
          path: ['evil\u001b[2J'],
          code: 'unknown_key',
          message: 'x\u0007 is bad.',
          hint: 'remove\r it.',
          file: 'a\nb.yaml',
          line: 1,
          column: 1,
        },
      ],
      { color: false },
    )
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    expect(text.split('\n')).toHaveLength(3)
    expect(text).toMatchInlineSnapshot(`
      "✖ x\\u0007 is bad.
        → at ["evil\\u001b[2J"] (a\\u000ab.yaml:1:1)
        hint: remove\\u000d it."
    `)
  })

  it('shows syntax errors with their position only', () => {
    expect(formatIssues(issuesOf('a: [1\n', 'd.yaml'), { color: false })).toMatchInlineSnapshot(`
      "✖ d.yaml is not valid YAML: flow sequence in block collection must be sufficiently indented and end with a ].
        → at d.yaml:2:1
        hint: indent nested keys with spaces, by the same amount at each level, and close every [ or { that is opened."
    `)
  })
})
