/**
 * Work folders of the real-stack test: a new run removes the folders of earlier runs whose
 * owner process is gone, and never the folder of a run still going.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { WORK_FOLDER_PREFIX, keepOnlyArtifacts, newWorkFolder } from './harness/work-folders.js'

let tmp = ''
afterEach(() => rmSync(tmp, { recursive: true, force: true }))

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8', timeout: 30_000 })
  return Number.parseInt(r.stdout, 10)
}

function folder(name: string, entries: Record<string, string>): string {
  const dir = join(tmp, `${WORK_FOLDER_PREFIX}${name}`)
  mkdirSync(join(dir, 'artifacts'), { recursive: true })
  writeFileSync(join(dir, 'artifacts', 'frame.png'), 'png')
  for (const [file, text] of Object.entries(entries)) writeFileSync(join(dir, file), text)
  return dir
}

describe('real-stack work folders', () => {
  it('a new run removes finished runs (passed or failed) and keeps running ones', () => {
    tmp = mkdtempSync(join(tmpdir(), 'work-folders-test-'))
    const passed = folder('passed', { 'owner.pid': `${deadPid()}\n` })
    const failed = folder('failed', { 'owner.pid': `${deadPid()}\n`, 'runner.log': 'logs' })
    const legacy = folder('legacy', {})
    const running = folder('running', { 'owner.pid': `${process.ppid}\n`, 'runner.log': 'logs' })
    const oldWithoutOwner = folder('unknown', { 'runner.log': 'logs' })
    const other = join(tmp, 'something-else')
    mkdirSync(other)

    const { dir, removed } = newWorkFolder(tmp)

    expect(removed.sort()).toEqual([failed, legacy, passed].sort())
    for (const d of [passed, failed, legacy]) expect(existsSync(d)).toBe(false)
    for (const d of [running, oldWithoutOwner, other, dir]) expect(existsSync(d)).toBe(true)
    expect(readdirSync(dir)).toEqual(['owner.pid'])
    // The new folder is this process's: a second run while it goes keeps it.
    expect(newWorkFolder(tmp).removed).toEqual([])
  })

  it('a passing run keeps only its artifacts and its owner file', () => {
    tmp = mkdtempSync(join(tmpdir(), 'work-folders-test-'))
    const dir = folder('done', { 'owner.pid': `${process.pid}\n`, 'runner.log': 'logs' })
    mkdirSync(join(dir, 'standalone'))
    keepOnlyArtifacts(dir)
    expect(readdirSync(dir).sort()).toEqual(['artifacts', 'owner.pid'])
  })
})
