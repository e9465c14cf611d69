import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { LOGIN_PATH_PATTERNS, LOGIN_PATHS_REGEX, MATRIX_PATHS_REGEX } from '@messenger-stack/config-schema'
import { samplePaths } from './support/sample-paths.js'

const login = new RegExp(LOGIN_PATHS_REGEX)
const oracle = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../../shared/oracles/synapse/worker-endpoints.json', import.meta.url)), 'utf8'),
) as {
  generic_worker: Record<string, string[]>
}

describe('the login rate-limit regex', () => {
  it('covers every path of every login and registration pattern', () => {
    const paths = LOGIN_PATH_PATTERNS.flatMap(samplePaths)
    expect(paths.length).toBeGreaterThan(30)
    for (const path of paths) expect(login.test(path), path).toBe(true)
  })

  it("covers every login, registration and single sign-on pattern of Synapse's worker endpoint table", () => {
    const patterns = Object.values(oracle.generic_worker)
      .flat()
      .filter((pattern) => /\/(login|register|registration|sso_register|pick_username)/.test(pattern))
    expect(patterns.length).toBeGreaterThanOrEqual(8)
    for (const path of patterns.flatMap(samplePaths)) expect(login.test(path), path).toBe(true)
  })

  it('leaves other client paths, token refresh and lookalikes alone', () => {
    for (const path of [
      '/_matrix/client/v3/sync',
      '/_matrix/client/v3/refresh',
      '/_matrix/client/v3/logout',
      '/_matrix/client/v3/loginx',
      '/_matrix/client/v3/registers',
      '/_matrix/client/v3/rooms/!a:example.org/send/m.room.message/1',
      '/_synapse/client/new_user_consent',
    ]) {
      expect(login.test(path), path).toBe(false)
    }
  })

  it('takes only paths the general Matrix route would take, so the limited route never widens what is public', () => {
    for (const path of LOGIN_PATH_PATTERNS.flatMap(samplePaths)) expect(new RegExp(MATRIX_PATHS_REGEX).test(path), path).toBe(true)
  })
})
