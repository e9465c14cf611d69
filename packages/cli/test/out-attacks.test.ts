import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asUser, bin, requireBuild, requireRoot } from './_bin.js'
import { snapshotTree, tempDir } from './_helpers.js'

// The bundle was first rendered by the container user (uid 1000), who therefore owns out/ and
// its folders; later root renders, checks or diffs it. uid 1000 plants links inside out/.
const ATTACKER = 1000
const SPEC = 'serverName: example.org\ncontainerUser: {uid: 1000, gid: 1000}\ntls: {letsEncrypt: {email: a@example.org}}\n'

function renderedByUser(): { dir: string; out: string; victim: string; elsewhere: string } {
  requireBuild()
  requireRoot()
  const dir = tempDir()
  chmodSync(dir, 0o755)
  writeFileSync(join(dir, 'deployment.yaml'), SPEC, { mode: 0o644 })
  chmodSync(join(dir, 'deployment.yaml'), 0o644)
  mkdirSync(join(dir, 'out'))
  chownSync(join(dir, 'out'), ATTACKER, ATTACKER)
  const first = bin(['render', 'deployment.yaml', '--out', 'out'], dir, { asUser: ATTACKER })
  expect(first.code, first.stderr).toBe(0)
  const victim = join(dir, 'root-only')
  writeFileSync(victim, 'ROOT-ONLY-CONTENT\n', { mode: 0o600 })
  const elsewhere = join(dir, 'elsewhere')
  mkdirSync(elsewhere, { mode: 0o755 })
  // The spec changes, so that the next render has files to write.
  writeFileSync(join(dir, 'deployment.yaml'), `${SPEC}resources: medium\nserviceName: chat\n`)
  return { dir, out: join(dir, 'out'), victim, elsewhere }
}

describe('render, check and diff never follow a link inside --out', { timeout: 120_000 }, () => {
  it('a symlinked folder (out/scripts -> elsewhere): root writes nothing outside the bundle, exit 1 naming it', () => {
    const { dir, out, elsewhere } = renderedByUser()
    asUser(ATTACKER, `rm -r scripts && ln -s ${elsewhere} scripts`, out)
    const before = snapshotTree(dir)
    for (const argv of [['render'], ['render', '--force'], ['check'], ['diff']]) {
      const result = bin([argv[0]!, 'deployment.yaml', '--out', 'out', ...argv.slice(1)], dir)
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(1)
      expect(result.stderr).toContain(`${out}/scripts is a symbolic link`)
    }
    expect(readdirSync(elsewhere)).toEqual([])
    expect(snapshotTree(dir)).toEqual(before)
  })

  it("a symlinked file: its target's content is never printed in a diff, nothing is written", () => {
    const { dir, out, victim } = renderedByUser()
    asUser(ATTACKER, `rm synapse/config/homeserver.yaml && ln -s ${victim} synapse/config/homeserver.yaml`, out)
    const before = snapshotTree(dir)
    for (const argv of [['render'], ['render', '--dry-run'], ['check'], ['diff'], ['render', '--force']]) {
      const result = bin([argv[0]!, 'deployment.yaml', '--out', 'out', ...argv.slice(1)], dir)
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(1)
      expect(result.stdout + result.stderr).not.toContain('ROOT-ONLY')
      expect(result.stderr).toContain(`${out}/synapse/config/homeserver.yaml is a symbolic link`)
    }
    expect(readFileSync(victim, 'utf8')).toBe('ROOT-ONLY-CONTENT\n')
    expect(snapshotTree(dir)).toEqual(before)
  })

  it('a symlinked manifest is refused too', () => {
    const { dir, out, victim } = renderedByUser()
    asUser(ATTACKER, `rm .messenger-stack/manifest.json && ln -s ${victim} .messenger-stack/manifest.json`, out)
    const result = bin(['render', 'deployment.yaml', '--out', 'out'], dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toContain(`${out}/.messenger-stack/manifest.json is a symbolic link`)
    expect(existsSync(join(out, 'nginx/conf.d/chat.conf'))).toBe(false)
  })
})
