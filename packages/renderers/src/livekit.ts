import {
  BUNDLE_PATHS,
  DERIVED_SECRET_FILES,
  SECRETS_MOUNT,
  containerName,
  deriveValues,
  mergeExtraConfig,
  type DeploymentSpec,
  type LiveKitConfig,
} from '@messenger-stack/config-schema'
import { generatedHeader, toYaml } from '@messenger-stack/config-schema/formats'

/**
 * Where LiveKit posts its webhooks (lk-jwt-service `/sfu_webhook`). Over the compose
 * network when there is one lk-jwt-service; when it runs once per colour (microservice),
 * through the public route, so the gateway delivers them to the active colour.
 */
export function livekitWebhookUrl(spec: DeploymentSpec): string {
  // Colours exist only in compose's microservice mode; Kubernetes rolls its Deployments itself.
  const perColour = spec.target === 'compose' && spec.mode === 'microservice' && spec.gateway.colourSwitched.includes('lk-jwt-service')
  return perColour
    ? `${deriveValues(spec).livekitServiceUrl}/sfu_webhook`
    : `http://${containerName(spec, 'lk-jwt-service')}:${spec.livekit.jwtPort}/sfu_webhook`
}

/**
 * The typed LiveKit `config.yaml` model (before `livekit.extraConfig`). Pure.
 *
 * @see https://github.com/livekit/livekit/blob/v1.13.5/config-sample.yaml
 */
export function livekitModel(spec: DeploymentSpec): LiveKitConfig {
  const derived = deriveValues(spec)
  const lk = spec.livekit
  const media = derived.livekitMedia
  const turn = lk.turn
  return {
    port: lk.httpPort,
    bind_addresses: ['0.0.0.0'],
    rtc: {
      tcp_port: lk.tcpPort,
      udp_port: media.kind === 'mux' ? media.udpPort : undefined,
      port_range_start: media.kind === 'range' ? media.start : undefined,
      port_range_end: media.kind === 'range' ? media.end : undefined,
      use_external_ip: derived.livekitUseExternalIp,
      node_ip: lk.nodeIp,
    },
    turn: turn.enabled
      ? {
          enabled: true,
          domain: derived.turnDomain,
          udp_port: turn.udpPort > 0 ? turn.udpPort : undefined,
          // nginx terminates TLS on 443 and forwards TURN here (see streamRoutes).
          tls_port: derived.turnTls ? turn.tlsPort : undefined,
          external_tls: derived.turnTls ? true : undefined,
          relay_range_start: turn.relayRange.start,
          relay_range_end: turn.relayRange.end,
          allow_restricted_peer_cidrs: turn.relayToPrivateNodeIp && lk.nodeIp !== undefined ? [`${lk.nodeIp}/32`] : undefined,
        }
      : { enabled: false },
    key_file: `${SECRETS_MOUNT}/${DERIVED_SECRET_FILES.livekitKeys}`,
    // Only lk-jwt-service creates rooms, for users of full-access homeservers.
    room: { auto_create: false },
    webhook: { api_key: lk.keyName, urls: [livekitWebhookUrl(spec)] },
    logging: { level: lk.logLevel },
    // Metrics for Prometheus on a port of its own, never published nor routed.
    prometheus: spec.monitoring === undefined ? undefined : { port: spec.monitoring.livekitMetricsPort },
  }
}

/**
 * Renders LiveKit's `config.yaml`: the typed model, then `livekit.extraConfig` (only keys
 * LiveKit knows, never an owned one). Pure: same spec, same bytes.
 */
export function renderLiveKit(spec: DeploymentSpec): string {
  const merged = mergeExtraConfig('livekit', livekitModel(spec), spec.livekit.extraConfig)
  return toYaml(merged, { header: generatedHeader(BUNDLE_PATHS.livekitConfig) })
}
