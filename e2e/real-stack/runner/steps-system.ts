import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { promisify } from 'node:util'
import { BUNDLE_PATHS, POSTGRES_SUPERUSER, SECRET_FILES, workersEnabled } from '@messenger-stack/config-schema'
import { check, type StepContext } from './context.js'
import { tcpExchange } from './stack.js'

const run = promisify(execFile)

function status(pid: number): Record<string, string> | undefined {
  try {
    return Object.fromEntries(
      readFileSync(`/proc/${pid}/status`, 'utf8')
        .split('\n')
        .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
    )
  } catch {
    return undefined
  }
}

/** The pid and every descendant (from /proc PPid links). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const ppid = Number(status(Number(entry))?.PPid)
    if (!Number.isNaN(ppid)) parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)])
  }
  const out: number[] = []
  const walk = (pid: number) => {
    out.push(pid)
    for (const child of parents.get(pid) ?? []) walk(child)
  }
  walk(root)
  return out
}

/** Every process of every service runs with the spec's uid/gid (real, effective, saved, fs) and no groups. */
export async function nonRoot(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const { uid, gid } = ctx.spec.containerUser
  const problems: string[] = []
  for (const [name, service] of ctx.services) {
    check(!service.hasExited(), `${name} is not running`)
    for (const pid of processTree(service.pid)) {
      const st = status(pid)
      if (st === undefined) continue
      details[`${name}:${pid}:${st.Name}`] = `Uid ${st.Uid} Gid ${st.Gid} Groups [${st.Groups}]`
      if (st.Uid !== `${uid}\t${uid}\t${uid}\t${uid}` || st.Gid !== `${gid}\t${gid}\t${gid}\t${gid}` || (st.Groups ?? '') !== '') {
        problems.push(`${name} pid ${pid} (${st.Name}): Uid ${st.Uid} Gid ${st.Gid} Groups ${st.Groups}`)
      }
      if (st.CapEff !== '0000000000000000') problems.push(`${name} pid ${pid} has capabilities ${st.CapEff}`)
    }
  }
  check(problems.length === 0, problems.join('; '))
}

/** psql (Debian's client) as `user` against the stack's PostgreSQL, bounded; never throws. */
async function psql(ctx: StepContext, user: string, db: string, sql: string, password?: string): Promise<{ ok: boolean; out: string }> {
  try {
    const r = await run(
      posix.join(ctx.plan.tools.pgBinDir, 'psql'),
      ['-h', 'messenger-postgres', '-U', user, '-d', db, '-w', '-X', '-tAc', sql],
      {
        timeout: 15_000,
        env: {
          PATH: '/usr/bin:/bin',
          PGPASSFILE: '/dev/null',
          PGCONNECT_TIMEOUT: '5',
          ...(password === undefined ? {} : { PGPASSWORD: password }),
        },
      },
    )
    return { ok: true, out: r.stdout.trim() }
  } catch (err: any) {
    return {
      ok: false,
      out: String(err.stderr ?? err.message)
        .trim()
        .slice(0, 300),
    }
  }
}

/**
 * The server is the major the compose file pins (`postgres:17-alpine` runs 17 here, from
 * provision.sh), and it runs with what the bundle rendered: the init script's database
 * (UTF8, C collation), `postgresql.conf` (tuning, scram) and its `hba_file`.
 */
export async function postgresMajor(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const pinned = /^(?:.*\/)?postgres:(\d+)/.exec(ctx.spec.images.postgres)?.[1]
  details.image = ctx.spec.images.postgres
  check(pinned !== undefined, `cannot read the major from the image ${ctx.spec.images.postgres}`)
  const password = readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.synapseDatabasePassword), 'utf8').trim()
  const superuserPassword = readFileSync(posix.join(ctx.plan.bundleDir, 'secrets', SECRET_FILES.postgresPassword), 'utf8').trim()
  const q = async (sql: string) => {
    const r = await psql(ctx, ctx.spec.postgres.user, ctx.spec.postgres.database, sql, password)
    check(r.ok, `${sql}: ${r.out}`)
    return r.out
  }
  const version = Number(await q('SHOW server_version_num'))
  details.serverVersionNum = version
  check(Math.floor(version / 10_000) === Number(pinned), `PostgreSQL ${version} runs, the compose file pins ${pinned}`)
  const conf = readFileSync(posix.join(ctx.plan.bundleDir, BUNDLE_PATHS.postgresConf), 'utf8')
  for (const name of ['shared_buffers', 'max_connections', 'password_encryption', 'hba_file', 'work_mem']) {
    const rendered = new RegExp(`^${name} = '?([^'\n]*)'?$`, 'm').exec(conf)?.[1]
    // hba_file is visible to superusers only (the superuser has its own password file).
    const running =
      name === 'hba_file'
        ? (await psql(ctx, POSTGRES_SUPERUSER, 'postgres', `SHOW ${name}`, superuserPassword)).out
        : await q(`SHOW ${name}`)
    details[name] = running
    check(rendered !== undefined && running === rendered, `${name} is ${running}, postgresql.conf says ${String(rendered)}`)
  }
  const db = await q(
    `SELECT pg_encoding_to_char(encoding) || ',' || datcollate || ',' || datctype FROM pg_database WHERE datname = current_database()`,
  )
  details.database = db
  check(db === 'UTF8,C,C', `the Synapse database is ${db}, not UTF8 with C collation (Synapse refuses other collations)`)
}

/** PostgreSQL and Redis answer only with their passwords (positive control with them). */
export async function passwordsRequired(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const secrets = posix.join(ctx.plan.bundleDir, 'secrets')
  const pgPassword = readFileSync(posix.join(secrets, SECRET_FILES.synapseDatabasePassword), 'utf8').trim()
  const psql = posix.join(ctx.plan.tools.pgBinDir, 'psql')
  const host = 'messenger-postgres'
  const attempt = async (user: string, db: string, password?: string) => {
    try {
      const r = await run(psql, ['-h', host, '-U', user, '-d', db, '-w', '-tAc', 'select 1'], {
        timeout: 15_000,
        env: {
          PATH: '/usr/bin:/bin',
          PGPASSFILE: '/dev/null',
          PGCONNECT_TIMEOUT: '5',
          ...(password === undefined ? {} : { PGPASSWORD: password }),
        },
      })
      return { ok: true, out: r.stdout.trim() }
    } catch (err: any) {
      return {
        ok: false,
        out: String(err.stderr ?? err.message)
          .trim()
          .slice(0, 300),
      }
    }
  }
  for (const [user, db] of [
    [ctx.spec.postgres.user, ctx.spec.postgres.database],
    [POSTGRES_SUPERUSER, 'postgres'],
  ] as const) {
    const without = await attempt(user, db)
    details[`postgres ${user} without password`] = without.out
    check(!without.ok, `PostgreSQL let ${user} in without a password`)
    check(/password/i.test(without.out), `unexpected PostgreSQL refusal for ${user}: ${without.out}`)
    const wrong = await attempt(user, db, 'wrong-password-test-value')
    details[`postgres ${user} wrong password`] = wrong.out
    check(!wrong.ok, `PostgreSQL let ${user} in with a wrong password`)
  }
  const good = await attempt(ctx.spec.postgres.user, ctx.spec.postgres.database, pgPassword)
  details['postgres synapse with password'] = good.out
  check(good.ok && good.out === '1', `the Synapse role cannot log in with its password: ${good.out}`)
  // Synapse's password is its own: it does not open the superuser's login (issue 9 item 3).
  const crossed = await attempt(POSTGRES_SUPERUSER, 'postgres', pgPassword)
  details['postgres superuser with the Synapse password'] = crossed.out
  check(!crossed.ok, 'PostgreSQL let the superuser in with the Synapse role password')

  const redisPassword = readFileSync(posix.join(secrets, SECRET_FILES.redisPassword), 'utf8').trim()
  const noAuth = await tcpExchange('messenger-redis', 6379, 'PING\r\n', (a) => a.includes('\r\n'))
  details['redis without password'] = noAuth.trim()
  check(noAuth.startsWith('-NOAUTH'), `Redis answered PING without a password: ${noAuth.trim()}`)
  const withAuth = await tcpExchange('messenger-redis', 6379, `AUTH ${redisPassword}\r\nPING\r\n`, (a) => a.split('\r\n').length >= 3)
  details['redis with password'] = withAuth.trim().split('\r\n')
  check(withAuth === '+OK\r\n+PONG\r\n', `Redis refused its own password: ${withAuth.trim()}`)
}

/**
 * Services the runner starts that are not part of the deployed stack: the gateway is the
 * operator's own nginx in front of a microservice bundle (the microservice step stands one up
 * to test the rendered include), and `lk-jwt-default-port` is a second lk-jwt-service the
 * default-port step starts and stops. They are printed, but not summed into the stack.
 */
const NOT_THE_STACK = new Set(['gateway', 'lk-jwt-default-port'])

/**
 * The design's target for the `small` profile (the whole stack, Synapse, PostgreSQL, Redis,
 * LiveKit, lk-jwt-service and nginx, under 512 MiB resident after the chat workload; without
 * Synapse workers), as a verdict on the total line; a benchmark, not an assertion (issue 15).
 */
function smallTarget(spec: StepContext['spec'], totalKb: number): string {
  if (spec.resources !== 'small' || workersEnabled(spec)) return ''
  return `  (design target for the small profile < 512 MiB: ${totalKb < 512 * 1024 ? 'PASS' : 'MISS'})`
}

/** A `kB` field of a /proc file (`VmRSS:` of status, `Pss:` of smaps_rollup), 0 when unreadable. */
function procKb(file: string, field: string): number {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`))
    return Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0)
  } catch {
    return 0
  }
}

/**
 * Memory of every service's process tree, as two sums: RSS counts a page shared by several
 * processes (PostgreSQL's shared buffers, libraries) once per process, so it overstates a
 * multi-process service; PSS splits each shared page among the processes that map it, so the
 * PSS of all processes adds up to the memory they hold together. The verdict uses RSS, the
 * stricter of the two, over the stack's own services. Prints a table; generous ceiling only.
 */
export async function residentMemory(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const rows: { name: string; procs: number; rssKb: number; pssKb: number }[] = []
  for (const [name, service] of ctx.services) {
    const tree = processTree(service.pid)
    let rssKb = 0
    let pssKb = 0
    for (const pid of tree) {
      rssKb += procKb(`/proc/${pid}/status`, 'VmRSS')
      pssKb += procKb(`/proc/${pid}/smaps_rollup`, 'Pss')
    }
    rows.push({ name, procs: tree.length, rssKb, pssKb })
  }
  const stack = rows.filter((r) => !NOT_THE_STACK.has(r.name) && r.rssKb > 0)
  const others = rows.filter((r) => NOT_THE_STACK.has(r.name) && r.rssKb > 0)
  const total = stack.reduce((s, r) => s + r.rssKb, 0)
  const totalPss = stack.reduce((s, r) => s + r.pssKb, 0)
  const mib = (kb: number) => (kb / 1024).toFixed(1).padStart(8)
  const line = (name: string, procs: string, rss: number, pss: number) =>
    `  ${name.padEnd(16)} ${procs.padStart(8)}  ${mib(rss)} MiB  ${mib(pss)} MiB`
  const table = [
    `memory after the scenario (profile ${ctx.spec.resources}; per process tree: RSS, then PSS)`,
    ...stack.map((r) => line(r.name, `${r.procs} proc`, r.rssKb, r.pssKb)),
    `${line('total', '', total, totalPss)}${smallTarget(ctx.spec, total)}`,
    ...others.map((r) => `${line(r.name, `${r.procs} proc`, r.rssKb, r.pssKb)}  (test harness, not in the total)`),
  ].join('\n')
  console.log(table)
  details.table = table
  details.totalMiB = Math.round(total / 1024)
  details.totalPssMiB = Math.round(totalPss / 1024)
  details.perService = Object.fromEntries(rows.map((r) => [r.name, Math.round(r.rssKb / 1024)]))
  check(
    totalPss > 0 && totalPss <= total,
    `PSS total ${totalPss} kB is not within (0, RSS total ${total} kB]: /proc/<pid>/smaps_rollup unreadable?`,
  )
  check(total < 1.5 * 1024 * 1024, `the stack uses ${(total / 1024).toFixed(0)} MiB, over the 1.5 GiB ceiling`)
}
