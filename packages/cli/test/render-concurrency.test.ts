import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bin, binAsync, requireBuild } from './_bin.js'
import { snapshotTree, tempDir } from './_helpers.js'

// Two specs with the same files and different content, and each one's bundle rendered alone.
const A = 'serverName: example.org\ntls: {letsEncrypt: {email: a@example.org}}\n'
const B = 'serverName: example.org\nresources: large\nsynapse: {maxUploadSize: 80M}\ntls: {letsEncrypt: {email: a@example.org}}\n'

function setup(): { dir: string; out: string; a: ReturnType<typeof snapshotTree>; b: ReturnType<typeof snapshotTree> } {
  requireBuild()
  const dir = tempDir()
  writeFileSync(join(dir, 'a.yaml'), A)
  writeFileSync(join(dir, 'b.yaml'), B)
  expect(bin(['render', 'a.yaml', '--out', 'only-a'], dir).code).toBe(0)
  expect(bin(['render', 'b.yaml', '--out', 'only-b'], dir).code).toBe(0)
  return { dir, out: join(dir, 'out'), a: snapshotTree(join(dir, 'only-a')), b: snapshotTree(join(dir, 'only-b')) }
}

/** Polls (bounded: 30 s) until `ready` holds. */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (ready()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('concurrent and interrupted renders of one folder', { timeout: 120_000 }, () => {
  it('a render that starts while another writes waits for its lock; the bundle is then exactly the second spec', async () => {
    const { dir, out, b } = setup()
    // The first render holds the lock and pauses after its first file.
    const first = binAsync(['render', 'a.yaml', '--out', 'out'], dir, { env: { MESSENGER_STACK_TEST_PAUSE: '1:1500' } })
    await until(() => first.stderr().includes('test pause after 1 files'), 'the first render to pause')
    // Meanwhile: a render that gives up early, a check, and a render that waits.
    const impatient = bin(['render', 'b.yaml', '--out', 'out'], dir, { env: { MESSENGER_STACK_TEST_LOCK_WAIT_MS: '200' } })
    expect(impatient.code, impatient.stderr).toBe(2)
    expect(impatient.stderr).toContain(`✖ out is in use by messenger-stack (process ${first.pid} on `)
    expect(impatient.stderr).toContain('nothing was written. Wait for it to finish, then run again.')
    const second = binAsync(['render', 'b.yaml', '--out', 'out'], dir)
    const [one, two] = await Promise.all([first.done, second.done])
    expect(one.code, one.stderr).toBe(0)
    expect(two.code, two.stderr).toBe(0)
    expect(two.stderr).toContain(`waiting for process ${first.pid} to finish with out`)
    expect(snapshotTree(out)).toEqual(b)
    expect(bin(['check', 'b.yaml', '--out', 'out'], dir).code).toBe(0)
    expect(existsSync(join(out, '.messenger-stack/lock'))).toBe(false)
  })

  it('two renders started together: both succeed and the bundle is exactly one of the two specs', async () => {
    const { dir, out, a, b } = setup()
    for (let round = 0; round < 3; round++) {
      const runs = [binAsync(['render', 'a.yaml', '--out', 'out'], dir), binAsync(['render', 'b.yaml', '--out', 'out'], dir)]
      const results = await Promise.all(runs.map((r) => r.done))
      for (const result of results) expect(result.code, result.stderr).toBe(0)
      const now = snapshotTree(out)
      const winner = JSON.stringify(now) === JSON.stringify(a) ? 'a' : JSON.stringify(now) === JSON.stringify(b) ? 'b' : 'mixed'
      expect(winner).not.toBe('mixed')
      expect(bin(['check', `${winner}.yaml`, '--out', 'out'], dir).code).toBe(0)
    }
  })

  it('SIGKILL mid-render, then render again: resumed (no "changed by hand"), dead temp files and lock cleaned', () => {
    const { dir, out, a, b } = setup()
    expect(bin(['render', 'a.yaml', '--out', 'out'], dir).code).toBe(0)
    const killed = bin(['render', 'b.yaml', '--out', 'out'], dir, { env: { MESSENGER_STACK_TEST_KILL_AFTER: '3' } })
    expect(killed.signal).toBe('SIGKILL')
    expect(existsSync(join(out, '.messenger-stack/lock'))).toBe(true) // nothing could remove it
    // What a kill inside an atomic write leaves: a temporary file named after the dead process.
    const deadTemp = `synapse/config/.messenger-stack-tmp-homeserver.yaml-${killed.pid}-0badc0de`
    writeFileSync(join(out, deadTemp), 'half a file')
    // A live process's temporary file is never touched.
    const liveTemp = `.messenger-stack-tmp-DEPLOY.md-${process.pid}-0badc0de`
    writeFileSync(join(out, liveTemp), 'in progress')
    // The files the killed render had written but not yet renamed are dead temporary files too.
    const dead = Object.keys(snapshotTree(out)).filter((path) => path.includes('.messenger-stack-tmp-') && path !== liveTemp).length
    expect(dead).toBeGreaterThanOrEqual(1)

    const resumed = bin(['render', 'b.yaml', '--out', 'out'], dir)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stderr).not.toContain('by hand')
    expect(resumed.stderr).toContain(`removed ${dead} temporary file${dead === 1 ? '' : 's'} an interrupted render left in out`)
    const { [liveTemp]: kept, ...rest } = snapshotTree(out)
    expect(kept?.content).toBe('in progress')
    expect(rest).toEqual(b)
    expect(bin(['check', 'b.yaml', '--out', 'out'], dir).code).toBe(0)

    // Killed again, and the operator goes back to the first spec: still no hand edits claimed.
    const again = bin(['render', 'a.yaml', '--out', 'out'], dir, { env: { MESSENGER_STACK_TEST_KILL_AFTER: '2' } })
    expect(again.signal).toBe('SIGKILL')
    const back = bin(['render', 'b.yaml', '--out', 'out', '--dry-run'], dir)
    expect(back.code, back.stderr).toBe(0)
    const reverted = bin(['render', 'a.yaml', '--out', 'out'], dir)
    expect(reverted.code, reverted.stderr).toBe(0)
    expect(reverted.stderr).not.toContain('by hand')
    const { [liveTemp]: _kept, ...final } = snapshotTree(out)
    expect(final).toEqual(a)
  })
})
