import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { composeEnvironmentVariables, renderCompose, composeVariantsFor } from '@messenger-stack/compose'
import { envExampleEntries, renderEnvExample } from '../src/env-example.js'
import { renderScripts } from '../src/scripts/scripts.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'

describe.each(EXAMPLES)('.env.example for %s', (name) => {
  const spec = exampleSpec(name)

  it('matches the golden file', async () => {
    await expect(renderEnvExample(spec)).toMatchFileSnapshot(`golden/${name}/.env.example`)
  })

  it('documents every variable the compose files read, with the spec as default', () => {
    const read = new Set<string>()
    for (const variant of composeVariantsFor(spec)) {
      for (const match of renderCompose(spec, variant).matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)) read.add(match[1]!)
    }
    expect(read.size).toBeGreaterThan(0)
    const documented = new Map(envExampleEntries(spec).map((entry) => [entry.key, entry]))
    for (const variable of read) expect(documented.has(variable), variable).toBe(true)
    expect(documented.get('CONTAINER_USER_UID')?.value).toBe(String(spec.containerUser.uid))
    expect(composeEnvironmentVariables(spec).every((v) => documented.get(v.name)?.commented !== true)).toBe(true)
  })

  it('documents every .env setting the scripts read', () => {
    const documented = new Set(envExampleEntries(spec).map((entry) => entry.key))
    for (const script of renderScripts(spec)) {
      for (const match of script.content.matchAll(/\$\(setting ([A-Z_][A-Z0-9_]*) /g))
        expect(documented.has(match[1]!), `${script.path}: ${match[1]}`).toBe(true)
    }
  })

  it('finds the setting calls it checks', () => {
    expect(renderScripts(spec)[0]!.content).toMatch(/\$\(setting CONTAINER_USER_UID /)
  })

  it('says that secrets are not in it', () => {
    expect(renderEnvExample(spec)).toContain('Secrets are NOT set here')
    const assignments = renderEnvExample(spec)
      .split('\n')
      .filter((line) => /^(# )?[A-Z_]+=/.test(line))
    expect(assignments.length).toBeGreaterThan(1)
    for (const line of assignments) expect(line).not.toMatch(/PASSWORD|SECRET/)
  })
})

it('the golden file is valid for the original service readers (KEY=value lines only)', () => {
  const text = readFileSync(new URL('golden/microservice/.env.example', import.meta.url), 'utf8')
  for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toMatch(/^[A-Z_][A-Z0-9_]*=\S+$/)
})
