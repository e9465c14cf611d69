import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { posix } from 'node:path'
import { BUNDLE_PATHS, deriveValues } from '@messenger-stack/config-schema'
import { loadDeploymentSpec } from '@messenger-stack/config-schema/node'
import type { ContainerMount } from '../harness/container.js'
import { imageBehaviour } from '../harness/image-stand-ins.js'
import { check, getJson, type StepContext } from './context.js'
import { startService, waitHttp } from './stack.js'

/** Port of the stand-in gateway inside the namespace (the standalone nginx keeps 8443/443). */
export const GATEWAY_PORT = 9443

/**
 * The external gateway's own server block (a harness file, not rendered): TLS for the public
 * host and the rendered `gateway-proxy.conf` with `${ACTIVE_COLOR}` substituted, as the
 * gateway's deploy step does.
 */
export function gatewayServerBlock(proxyConf: string, placeholder: string, serverName: string): string {
  return [
    '# Stand-in for the external nginx gateway: TLS server block around the rendered gateway-proxy.conf.',
    'server {',
    `  listen ${GATEWAY_PORT} ssl;`,
    `  server_name ${serverName};`,
    '  ssl_certificate /etc/nginx/certs/fullchain.pem;',
    '  ssl_certificate_key /etc/nginx/certs/privkey.pem;',
    proxyConf.split(placeholder).join('blue'),
    '}',
    '',
  ].join('\n')
}

/** Starts the gateway with the microservice bundle's gateway-proxy.conf and repeats the client calls. */
export async function microservice(ctx: StepContext, details: Record<string, unknown>): Promise<void> {
  const micro = await loadDeploymentSpec(ctx.plan.microSpecFile)
  check(micro.mode === 'microservice' && micro.serverName === ctx.spec.serverName, 'the microservice spec does not match')
  const proxyConf = readFileSync(posix.join(ctx.plan.microBundleDir, BUNDLE_PATHS.gatewayProxy), 'utf8')
  check(proxyConf.includes(micro.gateway.activeColorPlaceholder), `gateway-proxy.conf has no ${micro.gateway.activeColorPlaceholder}`)
  const dir = posix.join(ctx.plan.workDir, 'gateway')
  mkdirSync(dir, { recursive: true })
  const conf = posix.join(dir, 'gateway.conf')
  writeFileSync(conf, gatewayServerBlock(proxyConf, micro.gateway.activeColorPlaceholder, micro.serverName))
  const image = imageBehaviour('nginx', ctx.plan.tools, ctx.plan.standIns)
  const mounts: ContainerMount[] = [
    ...image.mounts,
    { source: conf, target: '/etc/nginx/conf.d/gateway.conf', readOnly: true },
    { source: ctx.plan.certs.cert, target: '/etc/nginx/certs/fullchain.pem', readOnly: true },
    { source: ctx.plan.certs.key, target: '/etc/nginx/certs/privkey.pem', readOnly: true },
  ]
  const gateway = startService(ctx.plan, {
    name: 'gateway',
    uid: micro.containerUser.uid,
    gid: micro.containerUser.gid,
    env: image.env,
    cwd: '/',
    mounts,
    command: [...image.entrypoint, ...image.defaultCommand],
  })
  ctx.services.set('gateway', gateway)
  const base = `https://${deriveValues(micro).matrixHost}:${GATEWAY_PORT}`
  await waitHttp(`${base}/_matrix/client/versions`, gateway, 30_000)
  const versions = await getJson(`${base}/_matrix/client/versions`)
  details.versions = versions.status
  check(versions.body?.unstable_features?.['org.matrix.simplified_msc3575'] === true, 'versions through the gateway lack sliding sync')
  const wk = await getJson(`${base}/.well-known/matrix/client`)
  details.wellKnown = wk.status
  details.wellKnownCors = wk.headers.get('access-control-allow-origin')
  // Through the gateway Synapse itself answers the well-known (base_url = public_baseurl, with
  // a trailing slash); the standalone site serves the rendered file (without). Both are valid.
  const baseUrl = String(wk.body?.['m.homeserver']?.base_url ?? '').replace(/\/$/, '')
  check(
    wk.status === 200 && baseUrl === deriveValues(micro).homeserverBaseUrl,
    `well-known through the gateway: ${wk.status} ${wk.text.slice(0, 200)}`,
  )
  check(details.wellKnownCors === '*', `well-known through the gateway: Access-Control-Allow-Origin is ${String(details.wellKnownCors)}`)
  check(Array.isArray(wk.body?.['org.matrix.msc4143.rtc_foci']), 'well-known through the gateway lacks rtc_foci')
  const key = await getJson(`${base}/_matrix/key/v2/server`)
  details.key = key.status
  check(key.status === 200 && key.body?.server_name === micro.serverName, `key through the gateway: ${key.status}`)
  const jwtPath = micro.livekit.jwtPath
  const health = await getJson(`${base}${jwtPath}/healthz`)
  details.jwtHealth = health.status
  check(health.status === 200, `${jwtPath}/healthz through the gateway (blue colour): ${health.status}`)
  const sfu = await fetch(`${base}${micro.livekit.sfuPath}/`, { signal: AbortSignal.timeout(10_000) })
  details.sfu = sfu.status
  check(sfu.status === 200, `${micro.livekit.sfuPath}/ through the gateway: ${sfu.status}`)
}
