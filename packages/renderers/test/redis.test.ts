import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DERIVED_SECRET_FILES, derivedSecretFiles, parseDeploymentSpec, parseSecrets } from '@messenger-stack/config-schema'
import { REDIS_DISABLED_COMMANDS, redisConfModel, renderRedisConf } from '../src/redis.js'
import { EXAMPLES, TEST_SECRETS, exampleSpec, requireNamespaces, requireTool } from './_bundle-support.js'

const TEST_PASSWORD = TEST_SECRETS.redisPassword

describe.each(EXAMPLES)('redis.conf for %s', (name) => {
  it('matches the golden file', async () => {
    await expect(renderRedisConf(exampleSpec(name))).toMatchFileSnapshot(`golden/${name}/redis/redis.conf`)
  })

  it('sizes maxmemory from the profile and keeps nothing on disk', () => {
    const model = new Map(
      redisConfModel(exampleSpec(name))
        .filter((d) => d.name !== 'rename-command')
        .map((d) => [d.name, d.args.join(' ')]),
    )
    expect(model.get('maxmemory')).toBe({ small: '32mb', medium: '64mb', large: '256mb' }[exampleSpec(name).resources])
    expect(model.get('maxmemory-policy')).toBe('allkeys-lru')
    expect(model.get('save')).toBe('""')
    expect(model.get('appendonly')).toBe('no')
    expect(model.get('include')).toBe(`/secrets/${DERIVED_SECRET_FILES.redisConf}`)
  })
})

it('redis.maxMemory overrides the profile', () => {
  const spec = parseDeploymentSpec({
    serverName: 'example.org',
    tls: { letsEncrypt: { email: 'a@example.org' } },
    redis: { maxMemory: '1gb' },
  })
  expect(renderRedisConf(spec)).toContain('\nmaxmemory 1gb\n')
})

// The real server: the rendered redis.conf, byte for byte, started as an unprivileged user in
// private mount and network namespaces. The include file is written to a temp folder that is
// bind-mounted over /secrets (created empty on the host if missing, and left in place), so
// the absolute include path resolves; port 6379 and `bind 0.0.0.0` stay inside the namespace.
const DRIVER = String.raw`
set -euo pipefail
work="$1"; server="$2"; cli="$3"; password="$4"
ip link set lo up
mkdir -p /secrets
mount --bind "$work/secrets" /secrets
cd "$work/data"
setpriv --reuid=65534 --regid=65534 --clear-groups -- "$server" "$work/redis.conf" >"$work/server.log" 2>&1 &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null || true' EXIT
rc() { timeout 10 "$cli" -h 127.0.0.1 -p 6379 "$@" 2>&1; }
for _ in $(seq 100); do
  if [[ "$(REDISCLI_AUTH="$password" rc ping || true)" == PONG ]]; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "server_exited=yes"; cat "$work/server.log"; exit 1; }
  sleep 0.1
done
echo "ping_with_password=$(REDISCLI_AUTH="$password" rc ping)"
echo "ping_without_password=$(rc ping | tr -d '\n')"
echo "ping_wrong_password=$(REDISCLI_AUTH=wrong-test-password rc ping | tr -d '\n')"
echo "config=$(REDISCLI_AUTH="$password" rc config get maxmemory | tr -d '\n' | cut -c1-40)"
echo "flushall=$(REDISCLI_AUTH="$password" rc flushall | tr -d '\n' | cut -c1-40)"
echo "maxmemory=$(REDISCLI_AUTH="$password" rc info memory | tr -d '\r' | sed -n 's/^maxmemory:\(.*\)$/\1/p')"
echo "policy=$(REDISCLI_AUTH="$password" rc info memory | tr -d '\r' | sed -n 's/^maxmemory_policy:\(.*\)$/\1/p')"
echo "aof=$(REDISCLI_AUTH="$password" rc info persistence | tr -d '\r' | sed -n 's/^aof_enabled:\(.*\)$/\1/p')"
echo "set_get=$(REDISCLI_AUTH="$password" rc set k v >/dev/null && REDISCLI_AUTH="$password" rc get k)"
kill -TERM "$pid"
status=0
timeout 20 tail --pid="$pid" -f /dev/null || status=$?
echo "stopped=$([[ $status == 0 ]] && echo yes || echo no)"
echo "rdb_files=$(find "$work/data" -name '*.rdb' | wc -l)"
`

describe('the rendered redis.conf on a real redis-server', () => {
  it('starts, needs the password, refuses admin commands, stops', () => {
    const unshare = requireNamespaces()
    const server = requireTool('redis-server')
    const cli = requireTool('redis-cli')
    const work = mkdtempSync(join(tmpdir(), 'ms-redis-'))
    try {
      chmodSync(work, 0o755)
      mkdirSync(join(work, 'secrets'))
      mkdirSync(join(work, 'data'))
      // The include file exactly as `messenger-stack secrets` writes it.
      const include = derivedSecretFiles(exampleSpec('standalone'), parseSecrets(TEST_SECRETS)).find(
        (f) => f.name === DERIVED_SECRET_FILES.redisConf,
      )!
      writeFileSync(join(work, 'secrets', include.name), include.content, { mode: 0o600 })
      writeFileSync(join(work, 'redis.conf'), renderRedisConf(exampleSpec('standalone')))
      for (const path of ['secrets', `secrets/${DERIVED_SECRET_FILES.redisConf}`, 'data']) chownSync(join(work, path), 65_534, 65_534)
      const result = spawnSync(unshare, ['-m', '-n', 'bash', '-c', DRIVER, 'driver', work, server, cli, TEST_PASSWORD], {
        encoding: 'utf8',
        timeout: 120_000,
      })
      const context = `${result.stdout}\n${result.stderr}`
      expect(result.status, context).toBe(0)
      const report = Object.fromEntries(
        result.stdout
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      )
      expect(report, context).toEqual({
        ping_with_password: 'PONG',
        ping_without_password: 'NOAUTH Authentication required.',
        ping_wrong_password: expect.stringMatching(/WRONGPASS|invalid password/),
        config: expect.stringMatching(/^ERR unknown command 'config'/),
        flushall: expect.stringMatching(/^ERR unknown command 'flushall'/),
        maxmemory: String(32 * 1024 * 1024),
        policy: 'allkeys-lru',
        aof: '0',
        set_get: 'v',
        stopped: 'yes',
        rdb_files: '0',
      })
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }, 180_000)

  it('disables only commands Synapse does not use', () => {
    const synapseUses = ['AUTH', 'SELECT', 'PING', 'PUBLISH', 'SUBSCRIBE', 'GET', 'SET', 'INFO']
    for (const command of synapseUses) expect(REDIS_DISABLED_COMMANDS).not.toContain(command)
  })
})
