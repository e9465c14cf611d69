import {
  BUNDLE_PATHS,
  CONTAINER_PORTS,
  composeProjectName,
  dataVolumes,
  deriveValues,
  dnsRecordHosts,
  metricsTargets,
  NGINX_RELOAD_SECONDS,
  portUses,
  streamRoutes,
  routerConfPath,
  synapseAdminSocketPath,
  type DeploymentSpec,
  type PortUse,
} from '@messenger-stack/config-schema'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { colourSwitchedServices } from '@messenger-stack/compose'
import { backupsSection } from './deploy-doc-backups.js'
import { workersSection } from './deploy-doc-workers.js'
import { wellKnownElsewhereSection } from './deploy-doc-well-known.js'
import { emailSection } from './deploy-doc-email.js'
import { monitoringSection } from './deploy-doc-monitoring.js'
import { type RenderOptions, type ResolvedRenderOptions, resolveRenderOptions } from './render-options.js'
import { shellQuote } from './scripts/shell-quote.js'

/** What each published port is for, by the spec field that sets it. */
const PORT_PURPOSES: Readonly<Record<string, string>> = {
  '(nginx http)': "HTTP: Let's Encrypt challenges, redirect to HTTPS (nginx of this bundle)",
  '(nginx https)': 'HTTPS: Matrix client and federation APIs, Element Web, LiveKit signalling (nginx of this bundle)',
  '(gateway http)': 'HTTP, served by the nginx gateway (not by this bundle)',
  '(gateway https)': 'HTTPS, served by the nginx gateway: Matrix APIs, Element Web, LiveKit signalling',
  'livekit.tcpPort': 'LiveKit media over TCP (ICE/TCP fallback)',
  'livekit.udpPort': 'LiveKit media over UDP (one multiplexed port)',
  'livekit.udpRange': 'LiveKit media over UDP (WebRTC)',
  'livekit.turn.udpPort': "TURN/UDP of LiveKit's embedded TURN server",
  'livekit.turn.relayRange': 'TURN relay ports: media relayed between TURN and the SFU, on the LiveKit node address',
}

function portRow(spec: DeploymentSpec, use: PortUse): string {
  const ports = use.start === use.end ? String(use.start) : `${use.start}-${use.end}`
  const field = use.field.join('.')
  // TLS for other names on the same port (TURN/TLS): nginx routes it by the requested name.
  const shared =
    field === '(nginx https)'
      ? streamRoutes(spec).map((route) => `; ${route.label} for ${route.hosts.map((host) => `\`${host}\``).join(', ')} on the same port`)
      : []
  return `| ${use.protocol.toUpperCase()} | ${ports} | ${PORT_PURPOSES[field] ?? field}${shared.join('')} |`
}

/** How TURN/TLS reaches LiveKit through port 443, when it does. */
function sharedHttpsPort(spec: DeploymentSpec): string[] {
  return streamRoutes(spec).flatMap((route) => [
    `${route.label} for \`${route.hosts.join('`, `')}\` shares TCP 443 with HTTPS: nginx reads the name the client asks for,`,
    `terminates TLS with the same certificate and passes the stream to ${route.target.service} (port ${route.target.port}, internal).`,
    `nginx reloads every ${NGINX_RELOAD_SECONDS / 3600} hours, so renewed certificates reach it too; LiveKit holds no certificate and never restarts for one.`,
    ...(spec.tls?.certificateFiles === undefined
      ? []
      : [`Your certificate files (\`tls.certificateFiles\`) must name \`${route.hosts.join('`, `')}\` too.`]),
    '',
  ])
}

function dnsSection(spec: DeploymentSpec): string[] {
  const d = deriveValues(spec)
  const target = spec.livekit.nodeIp ?? 'the public IPv4 address of this host'
  const hosts = dnsRecordHosts(spec)
  const lines = [
    '## DNS records',
    '',
    "Create these records before the first deploy (Let's Encrypt and clients need them):",
    '',
    '| name | type | value |',
    '| --- | --- | --- |',
  ]
  // A loop rather than `flatMap`, which V8 (Node 20) runs slowly.
  for (const host of hosts)
    lines.push(`| \`${host}\` | A | ${target} |`, `| \`${host}\` | AAAA | its IPv6 address, only if the host has one |`)
  lines.push('')
  if (spec.serverName !== d.matrixHost) {
    lines.push(
      `User IDs end in \`:${spec.serverName}\` but the Matrix APIs live on \`${d.matrixHost}\`. Clients and other servers`,
      `find that out from \`https://${spec.serverName}/.well-known/matrix/client\` and \`/.well-known/matrix/server\`,`,
      d.wellKnownServedHere
        ? `which the nginx of this bundle serves, so \`${spec.serverName}\` must point at this host too.`
        : `which another web server publishes (see "Well-known files on ${spec.serverName}" below): leave its DNS records as they are.`,
      'No SRV record is needed.',
      '',
    )
  }
  lines.push(`The server name \`${spec.serverName}\` is part of every user ID and can never change later.`, '')
  return lines
}

function portsSection(spec: DeploymentSpec): string[] {
  const internal = [`PostgreSQL ${CONTAINER_PORTS.postgres}`, `Redis ${CONTAINER_PORTS.redis}`]
  if (spec.livekit.enabled) internal.push(`LiveKit API ${spec.livekit.httpPort}`, `lk-jwt-service ${spec.livekit.jwtPort}`)
  for (const route of streamRoutes(spec)) internal.push(`${route.label} ${route.target.port} (it arrives on 443)`)
  // Metrics: Prometheus's own port stays internal too; every exporter and endpoint is listed.
  // Indexed loops: the memoised metrics targets and port uses are frozen, and V8 (Node 20) runs
  // `map` and `filter` on a frozen array on its slow generic path.
  const targets = metricsTargets(spec)
  for (let index = 0; index < targets.length; index++) internal.push(`${targets[index]!.service} metrics ${targets[index]!.port}`)
  const rows: string[] = []
  const uses = portUses(spec)
  for (let index = 0; index < uses.length; index++) if (uses[index]!.scope === 'host') rows.push(portRow(spec, uses[index]!))
  return [
    '## Ports to open',
    '',
    'Open these on the host firewall and any cloud security group, and nothing else:',
    '',
    '| protocol | port | for |',
    '| --- | --- | --- |',
    ...rows,
    '',
    ...sharedHttpsPort(spec),
    `Synapse publishes no port, not even on 127.0.0.1: its admin API is on the socket \`${synapseAdminSocketPath()}\`,`,
    'which only root and the container user can open (`messenger-stack register-user --socket`).',
    `Never publish ${internal.join(', ')}: they are reachable on the compose network only.`,
    ...(spec.livekit.enabled
      ? ['', 'Calls fail without the UDP ports even when everything else works; `scripts/check-livekit.sh` lists them again.']
      : []),
    '',
  ]
}

function commandsSection(spec: DeploymentSpec, options: ResolvedRenderOptions): string[] {
  const deploy = spec.mode === 'standalone' ? './scripts/deploy-standalone.sh' : './scripts/deploy.sh'
  const { uid, gid } = spec.containerUser
  const specFile = shellQuote(options.specPath)
  const secrets = BUNDLE_PATHS.secretsDir
  return [
    '## Commands, in order',
    '',
    `Run them in the bundle folder, the one holding this file; the spec is \`${options.specPath}\` from there.`,
    '',
    '```sh',
    `# As root: the containers run as ${uid}:${gid}, so the secrets must belong to that user (mode 0600),`,
    '# and the deploy script creates data folders owned by it. messenger-stack hands them over when run as root.',
    '# Secrets: generated once, only where missing; running it again never rotates anything.',
    `sudo messenger-stack secrets ${secrets} --spec ${specFile}`,
    '',
    '# Render every file of the bundle (again after each spec change; review with `messenger-stack diff`).',
    `sudo messenger-stack render ${specFile} --out . --secrets ${secrets}`,
    '',
    `sudo ${deploy}       # checks secrets, creates data volumes, starts everything`,
    `sudo messenger-stack register-user admin --admin --socket ${synapseAdminSocketPath()} --secrets ${BUNDLE_PATHS.secretsDir}`,
    '# (or, without Node on the server: ./scripts/create-first-user.sh admin)',
    ...(spec.livekit.enabled ? ['./scripts/check-livekit.sh              # calls: SFU, lk-jwt-service, well-known'] : []),
    `./scripts/backup.sh                     # database dump + media into ${BUNDLE_PATHS.backupsDir}/; run it from cron`,
    '```',
    '',
    `Data lives in ${volumeFolders(spec)} (external volumes, kept by \`down -v\`).`,
    '',
  ]
}

/** The data volumes' host folders, as a list in prose (by index: the memoised list is frozen, which V8, Node 20, maps slowly). */
function volumeFolders(spec: DeploymentSpec): string {
  const volumes = dataVolumes(spec)
  let text = ''
  for (let index = 0; index < volumes.length; index++) text += `${index === 0 ? '' : ', '}\`${volumes[index]!.hostDir}/\``
  return text
}

function blueGreenSection(spec: DeploymentSpec): string[] {
  if (spec.mode !== 'microservice') return []
  const colours = colourSwitchedServices(spec)
  return [
    '## Blue/green, and what it does not switch',
    '',
    `The shared core (\`${BUNDLE_PATHS.composeCore}\`, project \`${composeProjectName(spec, 'core')}\`) runs PostgreSQL, Redis,`,
    'the single Synapse main process, LiveKit and the router. It exists once and never switches colour.',
    `Synapse and LiveKit stay off the gateway's network \`${spec.gateway.network}\` (other services of the gateway share it,`,
    "and Synapse's listener also serves the admin API): the gateway reaches them through the router",
    `(\`${routerConfPath(spec.serviceName)}\`), which refuses the admin API and rate-limits login and registration.`,
    'PostgreSQL and Redis are on an internal network that only Synapse shares with them.',
    `Each colour (\`${BUNDLE_PATHS.composeBlue}\` / \`${BUNDLE_PATHS.composeGreen}\`, projects \`${composeProjectName(spec, 'blue')}\` /`,
    `\`${composeProjectName(spec, 'green')}\`) runs only stateless services: ${colours.map((s) => `\`${s}\``).join(', ')}.`,
    `The gateway switches between them by substituting \`${spec.gateway.activeColorPlaceholder}\` in \`${BUNDLE_PATHS.gatewayProxy}\`.`,
    '',
    'Why never two Synapse main processes: Synapse hands out some IDs from memory, caches',
    'without cross-process invalidation and lets only one process upgrade the database schema.',
    'Two mains on one database corrupt it quietly, so this bundle never starts a second one.',
    '',
    'What a Synapse upgrade costs: change `images.synapse`, render, and run `./scripts/deploy.sh`.',
    'Compose stops the old Synapse and then starts the new one: Matrix is unavailable for that',
    'restart (plus any schema migration, usually seconds). Element Web and lk-jwt-service switch',
    'colour without downtime.',
    '',
  ]
}

function nonRootSection(spec: DeploymentSpec): string[] {
  const { uid, gid } = spec.containerUser
  return [
    '## Non-root',
    '',
    `Every container runs as ${uid}:${gid}, never as root, with all capabilities dropped and`,
    '`no-new-privileges`. The data folders and the secrets must belong to that user; the deploy',
    'script creates the data folders with that owner and refuses secrets owned by anyone else.',
    'The IDs are written into the compose files from the spec (`containerUser`); no variable in `.env`',
    'or the environment can change them, so nothing but a spec change (where 0 is refused) can make a container run as root.',
    '',
  ]
}

/**
 * Appends the lines of `sections` to `lines`, numbering the `## ` heading each section starts
 * with, in order: `## 1. DNS records`. Only first lines are read: testing every line (`startsWith`)
 * made V8 copy each line built from pieces into one string before `join` copies it again.
 */
function pushNumbered(lines: string[], sections: readonly (readonly string[])[]): void {
  let n = 0
  for (let at = 0; at < sections.length; at++) {
    const section = sections[at]!
    if (section.length === 0) continue
    const heading = section[0]!
    lines.push(heading.startsWith('## ') ? `## ${++n}. ${heading.slice(3)}` : heading)
    for (let index = 1; index < section.length; index++) lines.push(section[index]!)
  }
}

/**
 * Renders `DEPLOY.md` for this spec: DNS records, ports to open (from `portUses`, the list the
 * port-clash check uses), the commands in order (run in the bundle folder, naming the spec
 * as `options` says), the Synapse workers (with `synapse.workers`), backups, the blue/green design
 * (microservice) and non-root notes. Pure: same spec
 * and options, same bytes.
 */
export function renderDeployDoc(spec: DeploymentSpec, options: RenderOptions = {}): string {
  const title = spec.mode === 'standalone' ? 'standalone, with its own nginx and TLS' : 'microservice, behind the nginx gateway'
  const lines = [
    `<!-- ${generatedHeader(BUNDLE_PATHS.deployDoc).join(' ')} -->`,
    '',
    `# Deploying ${spec.serviceName} (${title})`,
    '',
    `Matrix server name \`${spec.serverName}\`, APIs on \`https://${deriveValues(spec).matrixHost}/\`.`,
    '',
  ]
  pushNumbered(lines, [
    dnsSection(spec),
    wellKnownElsewhereSection(spec),
    portsSection(spec),
    commandsSection(spec, resolveRenderOptions(options)),
    emailSection(spec),
    workersSection(spec),
    monitoringSection(spec),
    backupsSection(spec),
    blueGreenSection(spec),
    nonRootSection(spec),
  ])
  // Exactly one final newline: the trailing ones are cut by index (a `\n+$` regex retries at every newline of the file).
  const text = lines.join('\n')
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--
  return `${text.slice(0, end)}\n`
}
