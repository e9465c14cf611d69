import { readFileSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { run, tempDir } from './_helpers.js'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

describe('--version', () => {
  it('prints the version of the package.json it ships with', async () => {
    const result = await run(['--version'], { cwd: tempDir() })
    expect(result).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' })
  })

  it('follows package.json when the version changes (nothing hard-coded)', async () => {
    vi.resetModules()
    vi.doMock('../package.json', () => ({ default: { ...manifest, version: '9.8.7-test.1' } }))
    try {
      const { CLI_VERSION } = await import('../src/cli.js')
      expect(CLI_VERSION).toBe('9.8.7-test.1')
    } finally {
      vi.doUnmock('../package.json')
      vi.resetModules()
    }
  })
})
