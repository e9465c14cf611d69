import { BUNDLE_PATHS, composeProjectName, containerName, type DeploymentSpec } from '@messenger-stack/config-schema'
import { shellTemplate } from './_template.js'
import { PARTIALS, scriptView } from './_common.js'

/** Bundle path of the microservice (blue/green) deploy script. */
export const DEPLOY_MICROSERVICE_SCRIPT = `${BUNDLE_PATHS.scriptsDir}/deploy.sh`

const TEMPLATE = `#!/usr/bin/env bash
# Deploys the microservice bundle behind the nginx-microservice gateway:
#   1. starts the shared core (PostgreSQL, Redis, Synapse<%#calls%>, LiveKit<%/calls%>) and waits until it is healthy;
#   2. runs the gateway's blue/green deployment of the colour-switched services;
#   3. installs nginx/gateway-proxy.conf where the gateway includes it, and reloads nginx.
# The core is never doubled: a new Synapse image means compose stops the old Synapse and
# starts the new one (a short downtime), because two Synapse main processes must never
# share one database.
# Usage: scripts/deploy.sh
# Settings (environment, else .env): NGINX_MICROSERVICE_DIR, GATEWAY_PROXY_INCLUDE.
set -euo pipefail

<%> prelude%>

<%> checkSecrets%>

<%> waitHealthy%>

<%> dataVolumes%>

SERVICE_NAME=<% serviceName %>
GATEWAY_NETWORK=<% network %>
GATEWAY_PROXY_FILE=<% gatewayProxy %>
NGINX_MICROSERVICE_DIR="$(setting NGINX_MICROSERVICE_DIR /home/statex/nginx-microservice)"
GATEWAY_PROXY_INCLUDE="$(setting GATEWAY_PROXY_INCLUDE "$NGINX_MICROSERVICE_DIR/nginx/includes/$SERVICE_NAME/gateway-proxy.conf")"
DEPLOY_SMART="$NGINX_MICROSERVICE_DIR/scripts/blue-green/deploy-smart.sh"
RELOAD_NGINX="$NGINX_MICROSERVICE_DIR/scripts/reload-nginx.sh"

check_secrets
[[ -x "$DEPLOY_SMART" ]] || die "$DEPLOY_SMART not found: set NGINX_MICROSERVICE_DIR to the nginx-microservice checkout"
[[ -f "$GATEWAY_PROXY_FILE" ]] || die "$GATEWAY_PROXY_FILE is missing: run 'messenger-stack render' first"
docker network inspect "$GATEWAY_NETWORK" >/dev/null 2>&1 ||
  die "docker network $GATEWAY_NETWORK does not exist: start nginx-microservice first"

ensure_data_volumes
log "starting the shared core (project $COMPOSE_PROJECT)"
compose up -d
<%#coreContainers%>
wait_healthy <% . %> 300
<%/coreContainers%>

log "blue/green deployment through nginx-microservice"
(cd "$NGINX_MICROSERVICE_DIR" && "$DEPLOY_SMART" "$SERVICE_NAME")

log "installing $GATEWAY_PROXY_FILE as $GATEWAY_PROXY_INCLUDE"
mkdir -p "$(dirname "$GATEWAY_PROXY_INCLUDE")"
install -m 0644 "$GATEWAY_PROXY_FILE" "$GATEWAY_PROXY_INCLUDE"
if [[ -x "$RELOAD_NGINX" ]]; then
  (cd "$NGINX_MICROSERVICE_DIR" && "$RELOAD_NGINX")
else
  die "$RELOAD_NGINX not found: reload the gateway's nginx yourself"
fi
log "deployed (blue project <% blueProject %>, green project <% greenProject %>)"
`

const render = shellTemplate(DEPLOY_MICROSERVICE_SCRIPT, TEMPLATE, PARTIALS)

/**
 * Renders `scripts/deploy.sh` for microservice mode: the shared core first
 * (`docker-compose.core.yml`), then nginx-microservice's `deploy-smart.sh <serviceName>`
 * for the colour-switched services, then the gateway include and an nginx reload.
 */
export function renderDeployMicroserviceScript(spec: DeploymentSpec): string {
  const view = scriptView(spec)
  const core = [containerName(spec, 'postgres'), containerName(spec, 'redis'), containerName(spec, 'synapse')]
  if (view.calls === true) core.push(containerName(spec, 'livekit'))
  return render({
    ...view,
    network: spec.gateway.network,
    gatewayProxy: BUNDLE_PATHS.gatewayProxy,
    coreContainers: core,
    blueProject: composeProjectName(spec, 'blue'),
    greenProject: composeProjectName(spec, 'green'),
  })
}
