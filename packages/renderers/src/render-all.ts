import {
  BUNDLE_PATHS,
  bundleGitignore,
  nginxSitePath,
  streamRoutes,
  routerConfPath,
  synapseWorkerConfigPath,
  synapseWorkers,
  type DeploymentSpec,
  withRenderMemo,
} from '@messenger-stack/config-schema'
import { composeFilesFor } from '@messenger-stack/compose'
import { renderDeployDoc } from './deploy-doc.js'
import { renderElementConfig } from './element-web.js'
import { renderEnvExample } from './env-example.js'
import { renderGatewayProxy } from './gateway-proxy.js'
import { renderHomeserver } from './homeserver.js'
import { renderLiveKit } from './livekit.js'
import { renderLkJwtEnv } from './lk-jwt-env.js'
import { renderNginxMain } from './nginx-main.js'
import { renderNginxSite } from './nginx-site.js'
import { renderPostgresConf, renderPostgresHba, renderPostgresInit } from './postgres.js'
import { renderPrometheusConfig } from './prometheus.js'
import { renderRedisConf } from './redis.js'
import { renderRouter } from './router.js'
import type { RenderOptions } from './render-options.js'
import { CONFIG_FILE_MODE, SCRIPT_FILE_MODE, type RenderedFile } from './rendered-file.js'
import { renderScripts } from './scripts/scripts.js'
import { renderSynapseLogConfig } from './synapse-log-config.js'
import { renderSynapseWorker } from './synapse-workers.js'
import { renderWellKnownClient, renderWellKnownServer } from './well-known.js'
import { renderKubernetes } from './kubernetes/manifests.js'

const config = (path: string, content: string): RenderedFile => ({ path, content, mode: CONFIG_FILE_MODE })

/**
 * Renders the whole bundle of a spec, for its target and mode only, sorted by path. With
 * `target: kubernetes`: the manifests under `kubernetes/` (ConfigMaps holding the configuration
 * files below, byte for byte) with their `kustomization.yaml`, and `.gitignore`. Otherwise: Synapse, PostgreSQL,
 * Synapse's worker files (with `synapse.workers`), Redis, LiveKit and lk-jwt-service (when calls are enabled), Element Web (when enabled), the
 * compose files, `.env.example`, `.gitignore` (secrets, data and backups stay out of git),
 * `DEPLOY.md`, the scripts (mode 0755), and the standalone nginx
 * site with the well-known files, or the microservice `gateway-proxy.conf`. Configuration
 * files are mode 0644. `options` name the spec file in `DEPLOY.md`'s
 * commands. Pure: same spec and options, same bytes; no file carries a secret.
 *
 * @example
 * for (const file of renderAll(spec)) writeFileSync(join(out, file.path), file.content, { mode: file.mode })
 */
export function renderAll(spec: DeploymentSpec, options: RenderOptions = {}): RenderedFile[] {
  // The renderers share the spec's derived values (route tables, workloads...): each is
  // computed once for this call (see withRenderMemo), and nothing is kept after it.
  return withRenderMemo(spec, () => renderBundle(spec, options))
}

function renderBundle(spec: DeploymentSpec, options: RenderOptions): RenderedFile[] {
  if (spec.target === 'kubernetes')
    return sortByPath([...renderKubernetes(spec, configFiles(spec)), config(BUNDLE_PATHS.gitignore, bundleGitignore())])
  return sortByPath([
    ...configFiles(spec),
    config(BUNDLE_PATHS.envExample, renderEnvExample(spec)),
    config(BUNDLE_PATHS.gitignore, bundleGitignore()),
    config(BUNDLE_PATHS.deployDoc, renderDeployDoc(spec, options)),
    ...composeFilesFor(spec).map((file) => config(file.path, file.content)),
    ...renderScripts(spec),
  ])
}

/**
 * The configuration files the services read, whatever runs them: compose mounts them from the
 * bundle, Kubernetes ConfigMaps hold the same bytes.
 */
function configFiles(spec: DeploymentSpec): RenderedFile[] {
  const files: RenderedFile[] = [
    config(BUNDLE_PATHS.homeserver, renderHomeserver(spec)),
    config(BUNDLE_PATHS.synapseLogConfig, renderSynapseLogConfig(spec)),
    { path: BUNDLE_PATHS.postgresInit, content: renderPostgresInit(spec), mode: SCRIPT_FILE_MODE },
    config(BUNDLE_PATHS.postgresConf, renderPostgresConf(spec)),
    config(BUNDLE_PATHS.postgresHba, renderPostgresHba(spec)),
    config(BUNDLE_PATHS.redisConf, renderRedisConf(spec)),
    ...synapseWorkers(spec).map((worker) => config(synapseWorkerConfigPath(worker.name), renderSynapseWorker(spec, worker))),
  ]
  if (spec.livekit.enabled) {
    files.push(config(BUNDLE_PATHS.livekitConfig, renderLiveKit(spec)), config(BUNDLE_PATHS.lkJwtEnv, renderLkJwtEnv(spec)))
  }
  if (spec.elementWeb.enabled) files.push(config(BUNDLE_PATHS.elementConfig, renderElementConfig(spec)))
  if (spec.monitoring !== undefined) files.push(config(BUNDLE_PATHS.prometheusConfig, renderPrometheusConfig(spec)))
  if (spec.mode === 'standalone') {
    files.push(
      config(nginxSitePath(spec.serviceName), renderNginxSite(spec)),
      config(BUNDLE_PATHS.wellKnownClient, renderWellKnownClient(spec)),
      config(BUNDLE_PATHS.wellKnownServer, renderWellKnownServer(spec)),
    )
    if (streamRoutes(spec).length > 0) files.push(config(BUNDLE_PATHS.nginxMainConf, renderNginxMain(spec)))
  } else if (spec.target === 'compose') {
    files.push(config(BUNDLE_PATHS.gatewayProxy, renderGatewayProxy(spec)), config(routerConfPath(spec.serviceName), renderRouter(spec)))
  }
  return files
}

function sortByPath(files: RenderedFile[]): RenderedFile[] {
  // One ordering comparison per call (and an equality test, quick on different lengths) rather
  // than two: paths share long prefixes (`synapse/config/workers/...`), and a bundle's ~150
  // comparisons were several microseconds.
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path === b.path ? 0 : 1))
}
