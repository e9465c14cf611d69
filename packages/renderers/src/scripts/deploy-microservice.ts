import { BUNDLE_PATHS, composeProjectName, containerName, startOrder, type DeploymentSpec } from '@messenger-stack/config-schema'
import { colourSwitchedServices } from '@messenger-stack/compose'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView, type ScriptView } from './_common.js'

/** Bundle path of the microservice (blue/green) deploy script. */
export const DEPLOY_MICROSERVICE_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/deploy.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Deploys the microservice bundle behind the nginx-microservice gateway:
#   1. starts PostgreSQL and sets the password of Synapse's database role, then the shared
#      core (PostgreSQL, Redis, Synapse<%#calls%>, LiveKit<%/calls%>), and waits until it is healthy;
#   2. runs the gateway's blue/green deployment of the colour-switched services;
#   3. installs nginx/gateway-proxy.conf where the gateway includes it, with the active
#      colour written in for its placeholder, and reloads nginx.
# The core is never doubled: a new Synapse image means compose stops the old Synapse and
# starts the new one (a short downtime), because two Synapse main processes must never
# share one database.
# Usage: scripts/deploy.sh
# Settings (environment, else .env): NGINX_MICROSERVICE_DIR, GATEWAY_PROXY_INCLUDE, and
# ACTIVE_COLOR (blue or green; by default the colour whose services started last).
set -euo pipefail

<%> prelude%>

<%> checkSecrets%>

<%> waitHealthy%>

<%> dataVolumes%>

<%> trustedPath%>

<%> syncDatabaseRole%>

SERVICE_NAME=<% serviceName %>
GATEWAY_NETWORK=<% network %>
GATEWAY_PROXY_FILE=<% gatewayProxy %>
NGINX_MICROSERVICE_DIR="$(setting NGINX_MICROSERVICE_DIR /home/statex/nginx-microservice)"
GATEWAY_PROXY_INCLUDE="$(setting GATEWAY_PROXY_INCLUDE "$NGINX_MICROSERVICE_DIR/nginx/includes/$SERVICE_NAME/gateway-proxy.conf")"
DEPLOY_SMART="$NGINX_MICROSERVICE_DIR/scripts/blue-green/deploy-smart.sh"
RELOAD_NGINX="$NGINX_MICROSERVICE_DIR/scripts/reload-nginx.sh"

check_secrets
[[ -x "$DEPLOY_SMART" ]] || die "$DEPLOY_SMART not found: set NGINX_MICROSERVICE_DIR to the nginx-microservice checkout"
# This script runs the gateway's scripts and writes its nginx include, usually as root: only
# from paths that nobody but root (or whoever runs this) can change.
NGINX_MICROSERVICE_DIR="$(trusted_path "$NGINX_MICROSERVICE_DIR")" || die "refusing to run the gateway's scripts from an untrusted folder (see above)"
DEPLOY_SMART="$(trusted_path "$DEPLOY_SMART")" || die "refusing to run $DEPLOY_SMART (see above)"
[[ -f "$GATEWAY_PROXY_FILE" ]] || die "$GATEWAY_PROXY_FILE is missing: run 'messenger-stack render' first"
docker network inspect "$GATEWAY_NETWORK" >/dev/null 2>&1 ||
  die "docker network $GATEWAY_NETWORK does not exist: start nginx-microservice first"

ensure_data_volumes
sync_database_role
log "starting the shared core (project $COMPOSE_PROJECT)"
compose up -d
<%#coreContainers%>
wait_healthy <% . %> 300
<%/coreContainers%>

log "blue/green deployment through nginx-microservice"
(cd "$NGINX_MICROSERVICE_DIR" && "$DEPLOY_SMART" "$SERVICE_NAME")

# The colour now serving traffic: deploy-smart.sh has just started it, so it is the running
# colour whose services started last.
ACTIVE_COLOR="$(setting ACTIVE_COLOR "")"
<%#colourProbe%>
if [[ -z "$ACTIVE_COLOR" ]]; then
  newest=""
  for colour in blue green; do
    started="$(docker inspect -f '{{.State.Running}} {{.State.StartedAt}}' <% . %>-"$colour" 2>/dev/null || true)"
    [[ "$started" == "true "* && "\${started#true }" > "$newest" ]] || continue
    newest="\${started#true }"
    ACTIVE_COLOR="$colour"
  done
  [[ -n "$ACTIVE_COLOR" ]] || die "no colour of <% . %> is running: set ACTIVE_COLOR=blue or green"
fi
<%/colourProbe%>
<%^colourProbe%>
# No service runs per colour: the core answers under both colours' names.
ACTIVE_COLOR="\${ACTIVE_COLOR:-blue}"
<%/colourProbe%>
[[ "$ACTIVE_COLOR" == blue || "$ACTIVE_COLOR" == green ]] || die "ACTIVE_COLOR must be blue or green, not $ACTIVE_COLOR"

log "installing $GATEWAY_PROXY_FILE as $GATEWAY_PROXY_INCLUDE for the $ACTIVE_COLOR colour"
include_dir="$(dirname "$GATEWAY_PROXY_INCLUDE")"
mkdir -p "$include_dir"
include_dir="$(trusted_path "$include_dir")" || die "refusing to write the gateway's nginx include into an untrusted folder (see above)"
# shellcheck disable=SC2016 # the gateway placeholder is literal text
PLACEHOLDER=<% placeholder %>
blocks="$(cat "$GATEWAY_PROXY_FILE")"
# A fresh temporary file (never an existing name, which could be a planted symlink), then
# an atomic rename over the include: nginx never reads half a file.
include_tmp="$(mktemp "$include_dir/.gateway-proxy.conf.XXXXXX")"
printf '%s\\n' "\${blocks//"$PLACEHOLDER"/$ACTIVE_COLOR}" >"$include_tmp"
chmod 0644 "$include_tmp"
mv -f -T "$include_tmp" "$include_dir/$(basename "$GATEWAY_PROXY_INCLUDE")"
[[ -x "$RELOAD_NGINX" ]] || die "$RELOAD_NGINX not found: reload the gateway's nginx yourself"
RELOAD_NGINX="$(trusted_path "$RELOAD_NGINX")" || die "refusing to run $RELOAD_NGINX (see above)"
(cd "$NGINX_MICROSERVICE_DIR" && "$RELOAD_NGINX")
log "deployed (blue project <% blueProject %>, green project <% greenProject %>)"
`

const render = shellTemplate<ReturnType<typeof deployMicroserviceView>>(DEPLOY_MICROSERVICE_SCRIPT, TEMPLATE, PARTIALS)

/**
 * Renders `scripts/deploy.sh` for microservice mode: the shared core first
 * (`docker-compose.core.yml`), then nginx-microservice's `deploy-smart.sh <serviceName>`
 * for the colour-switched services, then the gateway include (placeholder replaced by the
 * active colour, as the original service's post-deploy step did) and an nginx reload.
 */
export function renderDeployMicroserviceScript(spec: DeploymentSpec): string {
  return renderDeployMicroserviceScriptWith(spec, scriptView(spec))
}

/** {@link renderDeployMicroserviceScript} with the shared script values already computed. */
export function renderDeployMicroserviceScriptWith(spec: DeploymentSpec, shared: ScriptView): string {
  return render(deployMicroserviceView(spec), shared)
}

/** The values this script adds to the shared ones: the gateway, the core containers, the colour projects. */
function deployMicroserviceView(spec: DeploymentSpec) {
  // Every service of the core file (the stateful ones, the router, any stateless service not
  // switched by colour), in the order they start: all must be up before the gateway switches.
  const switched = colourSwitchedServices(spec)
  const core = startOrder(spec)
    .filter((service) => !switched.includes(service))
    .map((service) => containerName(spec, service))
  return {
    network: spec.gateway.network,
    gatewayProxy: BUNDLE_PATHS.gatewayProxy,
    placeholder: spec.gateway.activeColorPlaceholder,
    // Container name without its colour suffix, or none when no service runs per colour.
    colourProbe: colourSwitchedServices(spec)
      .slice(0, 1)
      .map((service) => containerName(spec, service)),
    coreContainers: core,
    blueProject: composeProjectName(spec, 'blue'),
    greenProject: composeProjectName(spec, 'green'),
  }
}
