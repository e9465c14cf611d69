import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderCompose, composeVariantsFor } from '@messenger-stack/compose'
import { envExampleEntries, renderEnvExample } from '../src/env-example.js'
import { renderScripts } from '../src/scripts/scripts.js'
import { COMPOSE_EXAMPLES, exampleSpec } from './_bundle-support.js'

describe.each(COMPOSE_EXAMPLES)('.env.example for %s', (name) => {
  const spec = exampleSpec(name)

  it('matches the golden file', async () => {
    await expect(renderEnvExample(spec)).toMatchFileSnapshot(`golden/${name}/.env.example`)
  })

  it('has nothing to document for the compose files: they read no variable', () => {
    for (const variant of composeVariantsFor(spec)) expect(renderCompose(spec, variant)).not.toMatch(/\$\{[A-Z_]/)
    expect(renderEnvExample(spec)).toContain('no variable, in .env or the environment, can make a container run as root')
  })

  it('documents every .env setting the scripts read', () => {
    const documented = new Set(envExampleEntries(spec).map((entry) => entry.key))
    for (const script of renderScripts(spec)) {
      for (const match of script.content.matchAll(/\$\(setting ([A-Z_][A-Z0-9_]*) /g))
        expect(documented.has(match[1]!), `${script.path}: ${match[1]}`).toBe(true)
    }
  })

  it('says that secrets are not in it', () => {
    expect(renderEnvExample(spec)).toContain('Secrets are NOT set here')
    const assignments = renderEnvExample(spec)
      .split('\n')
      .filter((line) => /^(# )?[A-Z_]+=/.test(line))
    for (const line of assignments) expect(line).not.toMatch(/PASSWORD|SECRET/)
  })
})

it('the golden file is valid for the original service readers (KEY=value lines only)', () => {
  const text = readFileSync(new URL('golden/microservice/.env.example', import.meta.url), 'utf8')
  for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) expect(line).toMatch(/^[A-Z_][A-Z0-9_]*=\S+$/)
})
