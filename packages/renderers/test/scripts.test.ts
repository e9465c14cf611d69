import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { renderScripts } from '../src/scripts/scripts.js'
import { shellQuote } from '../src/scripts/shell-quote.js'
import { parseDeploymentSpec, synapseWorkers } from '@messenger-stack/config-schema'
import { COMPOSE_EXAMPLES, exampleSpec, shellcheck } from './_bundle-support.js'

describe.each(COMPOSE_EXAMPLES)('scripts for %s', (name) => {
  const files = renderScripts(exampleSpec(name))

  it("are the mode's scripts, executable", () => {
    const deploy = exampleSpec(name).mode === 'standalone' ? 'scripts/deploy-standalone.sh' : 'scripts/deploy.sh'
    expect(files.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      [deploy, '755'],
      ['scripts/create-first-user.sh', '755'],
      ['scripts/backup.sh', '755'],
      ['scripts/restore.sh', '755'],
      ['scripts/check-livekit.sh', '755'],
      ...(synapseWorkers(exampleSpec(name)).length > 0 ? [['scripts/restart-synapse.sh', '755']] : []),
    ])
  })

  it.each(files.map((f) => [f.path, f.content]))('%s matches its golden file and is shellcheck-clean', async (path, content) => {
    await expect(content).toMatchFileSnapshot(`golden/${name}/${path}`)
    expect(content.startsWith('#!/usr/bin/env bash\n')).toBe(true)
    expect(content).toContain('\nset -euo pipefail\n')
    expect(shellcheck(content, 'bash')).toBe('')
  })
})

it('check-livekit.sh is left out when calls are disabled', () => {
  const spec = { ...exampleSpec('standalone'), livekit: { ...exampleSpec('standalone').livekit, enabled: false } }
  expect(renderScripts(spec).map((f) => f.path)).not.toContain('scripts/check-livekit.sh')
})

describe('shellQuote', () => {
  it('gives back any string through a real bash', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).map((s) => s.replaceAll('\0', '')),
          { minLength: 1, maxLength: 20 },
        ),
        (values) => {
          const script = `printf '%s\\0' ${values.map(shellQuote).join(' ')}`
          const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 10_000 })
          expect(result.stdout.split('\0').slice(0, -1)).toEqual(values)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('leaves safe words bare and quotes the rest', () => {
    expect(shellQuote('matrix.example.org')).toBe('matrix.example.org')
    expect(shellQuote("it's $HOME")).toMatchInlineSnapshot(`"'it'"'"'s $HOME'"`)
    expect(shellQuote('')).toBe("''")
  })
})

it('no shell template interpolates a value unquoted', () => {
  const sources = readdirSync(new URL('../src/scripts/', import.meta.url), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(new URL(`../src/scripts/${file}`, import.meta.url), 'utf8'))
  expect(sources.length).toBeGreaterThan(5)
  for (const source of sources) expect(source).not.toMatch(/<%\s*[&{]/)
})

it('deploy-standalone.sh with certificate files of ones own is shellcheck-clean too', () => {
  const spec = parseDeploymentSpec({
    serverName: 'example.org',
    tls: { certificateFiles: { certificate: '/etc/ssl/example.org/fullchain.pem', key: '/etc/ssl/example.org/privkey.pem' } },
  })
  const script = renderScripts(spec).find((f) => f.path === 'scripts/deploy-standalone.sh')!.content
  expect(script).toContain('\ncheck_secrets\ncheck_certificate_files\nensure_data_volumes\n')
  expect(shellcheck(script, 'bash')).toBe('')
})
