import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import * as root from '../src/index.js'
import * as node from '../src/node.js'

// Every throwing parser has a `safeX` sibling returning `{ success, data, issues }` (zod's
// safeParse shape): the same value when valid, and the issues the throwing one carries in its
// SpecError when not.

const work = mkdtempSync(join(tmpdir(), 'ms-safe-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const VALID_SPEC = 'serverName: example.org\ntls:\n  letsEncrypt:\n    email: admin@example.org\n'
const INVALID_SPEC = 'serverName: Bad_Name\ntls:\n  letsEncrypt:\n    email: admin@example.org\n'
const file = (name: string, text: string) => {
  const path = join(work, name)
  writeFileSync(path, text)
  return path
}

/** Runs the throwing variant: its value, or the issues of the SpecError it threw. */
async function thrown(run: () => unknown): Promise<{ value?: unknown; issues?: readonly root.SpecIssue[] }> {
  try {
    return { value: await run() }
  } catch (error) {
    if (root.isSpecError(error)) return { issues: error.issues }
    if (error instanceof Error) return { issues: [{ message: error.message } as root.SpecIssue] }
    throw error
  }
}

interface Pair {
  readonly safe: () => Promise<root.SafeResult<unknown>> | root.SafeResult<unknown>
  readonly throwing: () => unknown
}

const secretsFolder = async (mutate?: (dir: string) => void) => {
  const dir = mkdtempSync(join(work, 'secrets-'))
  await node.ensureSecretsFolder(dir)
  mutate?.(dir)
  return dir
}

const CASES: Readonly<Record<string, (valid: boolean) => Promise<Pair> | Pair>> = {
  parseDeploymentSpec: (valid) => {
    const input = { serverName: valid ? 'example.org' : 'Bad_Name', tls: { letsEncrypt: { email: 'a@example.org' } } }
    return { safe: () => root.safeParseDeploymentSpec(input), throwing: () => root.parseDeploymentSpec(input) }
  },
  loadDeploymentSpecText: (valid) => {
    const text = valid ? VALID_SPEC : INVALID_SPEC
    return { safe: () => root.safeLoadDeploymentSpecText(text, 'd.yaml'), throwing: () => root.loadDeploymentSpecText(text, 'd.yaml') }
  },
  parseSecrets: (valid) => {
    const input = { ...node.generateSecrets(), ...(valid ? {} : { postgresPassword: 'short' }) }
    return {
      safe: () => root.safeParseSecrets(input, { folder: 'secrets' }),
      throwing: () => root.parseSecrets(input, { folder: 'secrets' }),
    }
  },
  loadDeploymentSpec: (valid) => {
    const path = file(valid ? 'valid.yaml' : 'invalid.yaml', valid ? VALID_SPEC : INVALID_SPEC)
    return { safe: () => node.safeLoadDeploymentSpec(path), throwing: () => node.loadDeploymentSpec(path) }
  },
  loadSecrets: async (valid) => {
    const dir = await secretsFolder(valid ? undefined : (d) => writeFileSync(join(d, 'postgres_password'), 'short\n'))
    return { safe: () => node.safeLoadSecrets(dir, 'secrets'), throwing: () => node.loadSecrets(dir, 'secrets') }
  },
  parseSigningKey: (valid) => {
    const line = valid ? node.generateSigningKey() : 'ed25519 a_AbCd not-a-key'
    return { safe: () => node.safeParseSigningKey(line), throwing: () => node.parseSigningKey(line) }
  },
}

describe('safe variants of the throwing parsers', () => {
  it('every exported parseX and loadX has an exported safeX (and is in this table)', () => {
    const names = [...Object.keys(root), ...Object.keys(node)]
    const throwing = names.filter((name) => /^(parse|load)[A-Z]/.test(name)).sort()
    for (const name of throwing) expect(names, name).toContain(`safe${name[0]!.toUpperCase()}${name.slice(1)}`)
    expect(Object.keys(CASES).sort()).toEqual(throwing)
  })

  it.each(Object.keys(CASES))('%s: valid input gives { success: true, data } with the value the throwing one returns', async (name) => {
    const pair = await CASES[name]!(true)
    const result = await pair.safe()
    expect(result.success).toBe(true)
    expect(result.issues).toEqual([])
    expect(result.success && result.data).toEqual((await thrown(pair.throwing)).value)
  })

  it.each(Object.keys(CASES))('%s: invalid input gives { success: false, issues } with what the throwing one throws', async (name) => {
    const pair = await CASES[name]!(false)
    const result = await pair.safe()
    expect(result.success).toBe(false)
    expect(result.issues.length).toBeGreaterThan(0)
    expect('data' in result).toBe(false)
    const { issues } = await thrown(pair.throwing)
    if (name === 'parseSigningKey') expect(result.issues.map((i) => i.message)).toEqual(issues?.map((i) => i.message))
    else expect(result.issues).toEqual(issues)
  })

  it('the file loaders still reject for I/O problems, which are not issues of the content', async () => {
    await expect(node.safeLoadDeploymentSpec(join(work, 'missing.yaml'))).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(node.safeLoadSecrets(join(work, 'missing-folder'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('parseDeploymentSpec and the upstream validators also give the value as data', () => {
    const parsed = root.safeParseDeploymentSpec({ serverName: 'example.org', tls: { letsEncrypt: { email: 'a@example.org' } } })
    expect(parsed.success && parsed.data === parsed.spec).toBe(true)
    const homeserver = root.validateHomeserver('server_name: example.org\nreport_stats: false\n', 'homeserver.yaml')
    expect(homeserver.success && homeserver.data === homeserver.config).toBe(true)
  })
})
