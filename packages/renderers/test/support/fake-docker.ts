// The scripts run against a fake `docker` that records its arguments and plays the parts of
// compose, pg_dump, psql, pg_restore and tar. No container starts.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DERIVED_SECRET_FILES, SECRET_FILES, type DeploymentSpec } from '@messenger-stack/config-schema'
import { renderScripts } from '../../src/scripts/scripts.js'

const FAKE_DOCKER = `#!/usr/bin/env bash
printf '%s\\n' "$*" >>"$FAKE_LOG"
case "$*" in
  "compose version") exit 0 ;;
  *"exec -T postgres"*"pg_dump"*) printf 'FAKE-DUMP' ;;
  *"exec -T postgres"*"psql"*) printf '%s\\n' "$FAKE_TABLES" ;;
  # pg_restore reads the dump on stdin: keep it, so tests see what was restored.
  *"exec -T postgres"*"pg_restore"*) cat >"$FAKE_RESTORED" ;;
  *"exec -T synapse tar"*) printf 'FAKE-TAR' ;;
  # Like tar -x, read the whole archive: the writer must not die of SIGPIPE.
  *"run --rm -T"*"tar"*) cat >/dev/null ;;
  # Container state for the active-colour probe: FAKE_RUNNING names the running colour.
  "inspect -f {{.State.Running}} {{.State.StartedAt}} "*)
    [[ -n "\${FAKE_RUNNING:-}" && "$*" == *"-\${FAKE_RUNNING}" ]] && echo "true 2026-11-25T10:00:00Z" || echo "false 0001-01-01T00:00:00Z" ;;
  "inspect"*) echo healthy ;;
  "network inspect"*) exit 0 ;;
esac
exit 0
`

/** A rendered script folder with a fake docker on PATH, in a fresh temporary folder. */
export interface FakeDockerBundle {
  /** The temporary folder (holding `bundle/`, `bin/docker` and the log). */
  readonly work: string
  /** The UID the secrets belong to (the scripts refuse root). */
  readonly uid: number
  /** Runs a script of the bundle with the fake docker first on PATH. */
  run(script: string, args?: readonly string[], env?: Readonly<Record<string, string>>): ReturnType<typeof spawnSync>
  /** Every docker command the scripts ran, but `compose version`. */
  log(): string[]
  /** Removes the folder. */
  remove(): void
}

/** Renders the spec's scripts into a temporary bundle with a secrets folder of test-only values. */
export function fakeDockerBundle(spec: DeploymentSpec): FakeDockerBundle {
  const work = mkdtempSync(join(tmpdir(), 'ms-scripts-'))
  mkdirSync(join(work, 'bin'))
  writeFileSync(join(work, 'bin/docker'), FAKE_DOCKER, { mode: 0o755 })
  mkdirSync(join(work, 'bundle/scripts'), { recursive: true })
  for (const file of renderScripts(spec)) writeFileSync(join(work, 'bundle', file.path), file.content, { mode: file.mode })
  mkdirSync(join(work, 'bundle/secrets'), { mode: 0o700 })
  chmodSync(join(work, 'bundle/secrets'), 0o700)
  for (const file of [...Object.values(SECRET_FILES), ...Object.values(DERIVED_SECRET_FILES)]) {
    writeFileSync(join(work, 'bundle/secrets', file), 'test-only-value\n', { mode: 0o600 })
  }
  writeFileSync(join(work, 'log'), '')
  // The scripts check that the secrets belong to the spec's container user (as root, the test
  // hands them over; as another user it cannot, and the scripts refuse).
  const uid = process.getuid?.() === 0 ? spec.containerUser.uid : (process.getuid?.() ?? spec.containerUser.uid)
  for (const file of readdirSync(join(work, 'bundle/secrets'))) chownSync(join(work, 'bundle/secrets', file), uid, spec.containerUser.gid)
  return {
    work,
    uid,
    run: (script, args = [], env = {}) =>
      spawnSync('bash', [join(work, 'bundle/scripts', script), ...args], {
        encoding: 'utf8',
        timeout: 30_000,
        input: '',
        env: {
          PATH: `${join(work, 'bin')}:/usr/bin:/bin`,
          FAKE_LOG: join(work, 'log'),
          FAKE_RESTORED: join(work, 'restored'),
          FAKE_TABLES: '0',
          ...env,
        },
      }),
    log: () =>
      readFileSync(join(work, 'log'), 'utf8')
        .split('\n')
        .filter((line) => line !== '' && line !== 'compose version'),
    remove: () => rmSync(work, { recursive: true, force: true }),
  }
}
