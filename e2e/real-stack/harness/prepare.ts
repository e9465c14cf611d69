import { execFile } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { promisify } from 'node:util'
import { parse, stringify } from 'yaml'

const run = promisify(execFile)

/** The non-root user the test stack runs as (no host passwd entry needed: see image-stand-ins). */
export const TEST_UID = 4242
export const TEST_GID = 4242
/** The public host of the test deployment (mapped to 127.0.0.1 in the private hosts file). */
export const TEST_SERVER_NAME = 'messenger.test'

/** The test's mail provider: the SMTP sink listens on this host (loopback in the private hosts file). */
export const SMTP_HOST = 'smtp.messenger.test'
/** The account Synapse logs in with; its password is the bundle's secrets/smtp_password. */
export const SMTP_USER = 'messenger@messenger.test'

/**
 * The TURN domain of the standalone test deployment (TURN/TLS): a name of its own, since nginx
 * routes TLS on 443 by name. It resolves to the veth address LiveKit advertises, whose port
 * 443 the runner forwards to nginx as Docker would publish it on every address.
 */
export const TEST_TURN_DOMAIN = 'turn.messenger.test'

/**
 * The address LiveKit advertises for media: one end of a veth pair the namespace runner makes
 * inside the test's private network namespace (browsers ignore loopback candidates).
 */
export const MEDIA_NODE_IP = '10.99.0.1'

/**
 * The test spec: what an operator writes after `init`, tuned for one private namespace:
 * lk-jwt-service on 8081 (nginx owns 8080 in the shared namespace), one UDP mux port, LiveKit
 * advertising the veth address (`livekit.nodeIp`; the rendered LiveKit config is unchanged),
 * TURN allowed to relay to that private address, TURN/TLS on its own domain (standalone only:
 * microservice mode refuses it), a 1 MiB upload limit to keep the upload step fast. Standalone
 * mode mails through the test's SMTP sink (STARTTLS on 587, with a login whose password
 * `messenger-stack secrets` generates), and serves metrics (Synapse's listener, LiveKit's port).
 */
export function testSpec(mode: 'standalone' | 'microservice', certs: { cert: string; key: string }): Record<string, unknown> {
  return {
    serviceName: 'messenger',
    mode,
    serverName: TEST_SERVER_NAME,
    containerUser: { uid: TEST_UID, gid: TEST_GID },
    resources: 'small',
    synapse: {
      maxUploadSize: '1M',
      registration: { mode: 'disabled' },
      ...(mode === 'standalone'
        ? {
            email: {
              smtpHost: SMTP_HOST,
              tls: 'starttls',
              smtpUser: SMTP_USER,
              fromAddress: `noreply@${TEST_SERVER_NAME}`,
              fromName: 'Messenger test',
            },
          }
        : {}),
    },
    livekit: {
      enabled: true,
      jwtPort: 8081,
      udpPort: 7882,
      nodeIp: MEDIA_NODE_IP,
      turn: {
        enabled: true,
        udpPort: 3478,
        relayToPrivateNodeIp: true,
        ...(mode === 'standalone' ? { tlsPort: 5349, domain: TEST_TURN_DOMAIN } : { tlsPort: 0 }),
      },
    },
    elementWeb: { enabled: true },
    // Metrics: Synapse's listener and LiveKit's Prometheus port (the exporters have no stand-in).
    ...(mode === 'standalone' ? { monitoring: {} } : {}),
    ...(mode === 'standalone' ? { tls: { certificateFiles: { certificate: certs.cert, key: certs.key } } } : {}),
  }
}

/**
 * The spec of the workers bundle: standalone, the same server name and certificate, Synapse
 * with the `small` worker preset (a generic worker and a federation sender, over Redis
 * replication) and federation on; no calls, Element Web or email, which the main scenario covers.
 */
export function workersTestSpec(certs: { cert: string; key: string }): Record<string, unknown> {
  return {
    serviceName: 'messenger',
    mode: 'standalone',
    serverName: TEST_SERVER_NAME,
    containerUser: { uid: TEST_UID, gid: TEST_GID },
    resources: 'small',
    synapse: { maxUploadSize: '1M', registration: { mode: 'disabled' }, workers: { preset: 'small' } },
    livekit: { enabled: false },
    elementWeb: { enabled: false },
    tls: { certificateFiles: { certificate: certs.cert, key: certs.key } },
  }
}

/** Runs the built CLI as the test user, bounded; returns its output or throws with it. */
export async function runCli(node: string, setpriv: string, cliBin: string, cwd: string, args: readonly string[]): Promise<string> {
  try {
    const r = await run(setpriv, [`--reuid=${TEST_UID}`, `--regid=${TEST_GID}`, '--clear-groups', node, cliBin, ...args], {
      cwd,
      timeout: 60_000,
      env: { PATH: '/usr/bin:/bin', HOME: '/tmp', NO_COLOR: '1' },
    })
    return `$ messenger-stack ${args.join(' ')}\n${r.stdout}${r.stderr}`
  } catch (err: any) {
    throw new Error(`messenger-stack ${args.join(' ')} failed (${err.code ?? err.signal}):\n${err.stdout ?? ''}${err.stderr ?? ''}`)
  }
}

/** init → edit the spec → secrets → render, as the quick start says, for one mode. */
export async function initAndRender(opts: {
  node: string
  setpriv: string
  cliBin: string
  dir: string
  mode: 'standalone' | 'microservice'
  certs: { cert: string; key: string }
  /** The spec the operator writes; {@link testSpec} of the mode when absent. */
  spec?: Record<string, unknown>
}): Promise<string[]> {
  mkdirSync(opts.dir, { recursive: true })
  chownSync(opts.dir, TEST_UID, TEST_GID)
  const out: string[] = []
  const cli = (cwd: string, args: string[]) => runCli(opts.node, opts.setpriv, opts.cliBin, cwd, args)
  out.push(await cli(opts.dir, ['init', '.', '--server-name', TEST_SERVER_NAME, '--mode', opts.mode]))
  const specFile = posix.join(opts.dir, 'deployment.yaml')
  if (!existsSync(specFile)) throw new Error('init wrote no deployment.yaml')
  // The operator's edit: replace the spec body, keep init's header comments.
  const header = readFileSync(specFile, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .join('\n')
  writeFileSync(specFile, `${header}\n${stringify(opts.spec ?? testSpec(opts.mode, opts.certs))}`)
  out.push(await cli(opts.dir, ['secrets', 'secrets', '--spec', 'deployment.yaml']))
  out.push(await cli(opts.dir, ['render', 'deployment.yaml', '--out', '.', '--secrets', 'secrets']))
  return out
}

/**
 * The private /etc/hosts: the public host, the SMTP sink's, and exactly the host names the rendered compose
 * files give containers (container_name and network aliases), all on loopback; the TURN
 * domain on the veth address (see {@link TEST_TURN_DOMAIN}). A route to a
 * host name no rendered container has therefore fails to resolve, as it would under Docker.
 */
export function hostsFile(composeFiles: readonly string[]): string {
  const names = new Set<string>([TEST_SERVER_NAME, SMTP_HOST])
  for (const file of composeFiles) {
    const doc = parse(readFileSync(file, 'utf8')) as {
      services?: Record<string, { container_name?: string; networks?: Record<string, { aliases?: string[] } | null> }>
    }
    for (const svc of Object.values(doc.services ?? {})) {
      if (svc.container_name !== undefined) names.add(svc.container_name)
      for (const net of Object.values(svc.networks ?? {})) for (const alias of net?.aliases ?? []) names.add(alias)
    }
  }
  return `127.0.0.1 localhost ${[...names].sort().join(' ')}\n${MEDIA_NODE_IP} ${TEST_TURN_DOMAIN}\n::1 localhost ip6-localhost ip6-loopback\n`
}
