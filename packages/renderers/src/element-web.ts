import { deriveValues, mergeExtraConfig, type DeploymentSpec, type ElementConfig } from '@messenger-stack/config-schema'
import { stableJson } from '@messenger-stack/config-schema/formats'

/**
 * The typed Element Web `config.json` model (before `elementWeb.extraConfig`): this
 * homeserver only, Element Call when calls are deployed (legacy and Jitsi calls hidden),
 * call UI off otherwise. Pure.
 *
 * @see https://github.com/element-hq/element-web/blob/develop/docs/config.md
 */
export function elementConfigModel(spec: DeploymentSpec): ElementConfig {
  const derived = deriveValues(spec)
  const web = spec.elementWeb
  return {
    default_server_config: { 'm.homeserver': { base_url: derived.homeserverBaseUrl, server_name: spec.serverName } },
    disable_custom_urls: web.disableCustomUrls,
    disable_guests: web.disableGuests,
    brand: web.brand,
    default_theme: web.defaultTheme,
    default_federate: spec.synapse.federation.enabled,
    room_directory: { servers: [spec.serverName] },
    show_labs_settings: false,
    element_call: derived.calls ? { use_exclusively: true } : { disable: true },
    features: derived.calls ? { feature_element_call_video_rooms: true, feature_group_calls: true } : undefined,
    // Without LiveKit there is no TURN for legacy calls and Jitsi would leave the server.
    setting_defaults: derived.calls ? undefined : { 'UIFeature.voip': false },
    enable_presence_by_hs_url: spec.synapse.presence ? undefined : { [derived.homeserverBaseUrl]: false },
  }
}

/**
 * Renders Element Web's `config.json`: the typed model, then `elementWeb.extraConfig`
 * (snake_case keys, never an owned one). Pure: same spec, same bytes.
 */
export function renderElementConfig(spec: DeploymentSpec): string {
  return stableJson(mergeExtraConfig('elementWeb', elementConfigModel(spec), spec.elementWeb.extraConfig))
}
