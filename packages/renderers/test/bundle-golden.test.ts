// The whole bundle of each example, as renderAll returns it, against the committed golden
// files: every file the bundle holds must have one, and equal it byte for byte. The per-renderer
// tests pin the same files one renderer at a time; this one pins what `render` writes.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderAll } from '../src/render-all.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'

const RENDERERS_GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url))
const COMPOSE_GOLDEN = fileURLToPath(new URL('../../compose/test/golden/', import.meta.url))

/** Golden files named after their content rather than their bundle path. */
const GOLDEN_NAMES: Readonly<Record<string, string>> = {
  // A file named .gitignore would act as one inside the repository.
  '.gitignore': 'bundle.gitignore',
  'element/config.json': 'element-config.json',
  'livekit/config.yaml': 'livekit.yaml',
  'livekit/lk-jwt-service.env': 'lk-jwt-service.env',
  'nginx/well-known/matrix/client': 'well-known-client.json',
  'nginx/well-known/matrix/server': 'well-known-server.json',
  'synapse/config/homeserver.yaml': 'homeserver.yaml',
  'synapse/config/log.config': 'log.config.yaml',
}

/** Where the golden of a bundle file is committed: compose files in the compose package, the rest here. */
function goldenPath(example: string, bundlePath: string): string {
  if (bundlePath.startsWith('docker-compose.')) return `${COMPOSE_GOLDEN}${example}/${bundlePath}`
  return `${RENDERERS_GOLDEN}${example}/${GOLDEN_NAMES[bundlePath] ?? bundlePath}`
}

describe.each(EXAMPLES)('renderAll(examples/%s) equals the committed golden files', (name) => {
  const spec = exampleSpec(name)
  const files = renderAll(spec)

  it('renders a whole bundle', () => {
    expect(files.length).toBeGreaterThan(spec.target === 'kubernetes' ? 5 : 15)
  })

  // A missing golden is written by `vitest -u` (a new example's files) and fails under CI.
  it.each(files.map((file) => [file.path, file] as const))('%s', async (_path, file) => {
    await expect(file.content).toMatchFileSnapshot(goldenPath(name, file.path))
  })
})
