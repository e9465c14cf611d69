// The built CLI's command bundle and its V8 code cache (issue 11 item 7): every command is in
// the one bundle, and the cache goes to the user's cache folder, never into the install.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { COMMAND_MODULES } from '../src/_all-commands.js'
import { CODE_CACHE_KEEP, codeCacheDir } from '../src/_bundle-loader.js'
import { BIN, requireBuild } from './_bin.js'

const scratch = mkdtempSync(join(tmpdir(), 'ms-code-cache-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('command bundle', () => {
  it('holds every command of src/commands', () => {
    const files = readdirSync(join(import.meta.dirname, '../src/commands')).map((file) => file.slice(0, -'.ts'.length))
    expect(Object.keys(COMMAND_MODULES).sort()).toEqual(files.sort())
  })

  it('keeps its code cache under $XDG_CACHE_HOME, else ~/.cache, never beside the bundle', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/var/tmp/c', HOME: '/home/a' })).toBe('/var/tmp/c/messenger-stack')
    // The XDG spec ignores relative paths.
    expect(codeCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/a' })).toBe('/home/a/.cache/messenger-stack')
    expect(codeCacheDir({ HOME: '/home/a' })).toBe('/home/a/.cache/messenger-stack')
  })

  it('the built command writes one cache file per command into the cache folder, and nothing into dist/', () => {
    requireBuild()
    const env = { ...process.env, XDG_CACHE_HOME: scratch }
    for (const args of [['validate', '--help'], ['schema']]) {
      const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env })
      expect(run.status, run.stderr).toBe(0)
    }
    const cached = readdirSync(join(scratch, 'messenger-stack')).sort()
    expect(cached).toHaveLength(1)
    expect(cached[0]).toMatch(new RegExp(`^schema-${process.version.replace(/\./g, '\\.')}-[a-z0-9]+\\.v8$`))
    expect(readdirSync(join(import.meta.dirname, '../dist/bin')).sort()).toEqual(['commands.cjs', 'libraries.cjs', 'messenger-stack.cjs'])
  })

  it('keeps the newest code cache files when it writes one, and removes the older ones, nothing else', () => {
    requireBuild()
    const home = mkdtempSync(join(scratch, 'prune-'))
    const dir = join(home, 'messenger-stack')
    mkdirSync(dir)
    // Caches of earlier builds, the oldest first, and files that are not caches.
    const old = Array.from({ length: CODE_CACHE_KEEP + 6 }, (_, i) => `render-v20.0.0-old${String(i).padStart(2, '0')}.v8`)
    old.forEach((name, i) => {
      writeFileSync(join(dir, name), 'stale')
      utimesSync(join(dir, name), 1_000_000 + i, 1_000_000 + i)
    })
    writeFileSync(join(dir, 'notes.txt'), 'mine')
    writeFileSync(join(dir, 'render-old.v8.bak'), 'mine')
    const run = spawnSync(process.execPath, [BIN, 'schema'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } })
    expect(run.status, run.stderr).toBe(0)
    const left = readdirSync(dir).sort()
    const written = left.filter((name) => name.startsWith(`schema-${process.version}-`))
    expect(written).toHaveLength(1)
    // The new cache and the newest earlier ones, CODE_CACHE_KEEP in all; the other files stay.
    expect(left).toEqual([...old.slice(old.length - (CODE_CACHE_KEEP - 1)), 'notes.txt', 'render-old.v8.bak', ...written].sort())
  })
})
