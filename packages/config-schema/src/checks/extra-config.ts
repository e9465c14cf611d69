import type { DeploymentSpec } from '../deployment/spec.js'
import { closestKey } from '../errors/did-you-mean.js'
import { secretValueIssues } from './secret-values.js'
import { SpecError, type SpecIssue } from '../errors/issue.js'
import { ElementConfigSchema, type ElementConfig } from '../element-web/config.js'
import { sortKeysDeep } from '../formats/json.js'
import { LIVEKIT_TOP_LEVEL_KEYS, LiveKitConfigSchema, type LiveKitConfig } from '../livekit/config.js'
import { HOMESERVER_OVERRIDABLE_KEYS, HomeserverConfigSchema, type HomeserverKey } from '../synapse/homeserver.js'

/** The spec sections that carry an `extraConfig` escape hatch. */
export type ExtraConfigSection = 'synapse' | 'livekit' | 'elementWeb'

interface SectionRules {
  /** The upstream file, for messages. */
  readonly file: string
  /** Keys the SDK renders; derived from the output model, never listed by hand. */
  readonly owned: ReadonlySet<string>
  /** Every key upstream knows, when upstream refuses unknown keys. */
  readonly known?: readonly string[]
  /** The typed spec field that sets an owned key. */
  readonly typedField: Readonly<Record<string, string>>
  /** Upstream keys that would put a secret inline or alias an owned key. */
  readonly reserved: Readonly<Record<string, string>>
  /** Upstream keys must be snake_case. */
  readonly snakeCase: boolean
}

const ownedKeys = (shape: object, overridable: readonly string[] = []): ReadonlySet<string> =>
  new Set(Object.keys(shape).filter((key) => !overridable.includes(key)))

const SYNAPSE_TYPED_FIELDS: Partial<Record<HomeserverKey, string>> = {
  server_name: 'serverName',
  public_baseurl: 'matrixHost',
  serve_server_wellknown: 'matrixHost',
  listeners: 'synapse.httpPort',
  database: 'postgres.database and postgres.user',
  log_config: 'synapse.logLevel',
  max_upload_size: 'synapse.maxUploadSize',
  enable_registration: 'synapse.registration.mode',
  registration_requires_token: 'synapse.registration.mode',
  enable_registration_without_verification: 'synapse.registration.mode',
  federation_domain_whitelist: 'synapse.federation.allowList',
  presence: 'synapse.presence',
  url_preview_enabled: 'synapse.urlPreviews',
  url_preview_ip_range_blacklist: 'synapse.urlPreviews',
  caches: 'synapse.cacheFactor',
  event_cache_size: 'resources',
  rc_message: 'livekit.enabled',
  rc_delayed_event_mgmt: 'livekit.enabled',
  max_event_delay_duration: 'livekit.enabled',
  experimental_features: 'livekit.enabled',
  matrix_rtc: 'livekit.enabled',
  extra_well_known_client_content: 'livekit.enabled',
}

const LIVEKIT_TYPED_FIELDS: Partial<Record<keyof LiveKitConfig, string>> = {
  port: 'livekit.httpPort',
  rtc: 'livekit.tcpPort, livekit.udpPort or livekit.udpRange, and livekit.nodeIp',
  turn: 'livekit.turn',
  webhook: 'livekit.keyName',
  logging: 'livekit.logLevel',
}

const ELEMENT_TYPED_FIELDS: Partial<Record<keyof ElementConfig, string>> = {
  default_server_config: 'matrixHost and serverName',
  brand: 'elementWeb.brand',
  default_theme: 'elementWeb.defaultTheme',
  disable_guests: 'elementWeb.disableGuests',
  disable_custom_urls: 'elementWeb.disableCustomUrls',
  default_federate: 'synapse.federation.enabled',
  element_call: 'livekit.enabled',
  features: 'livekit.enabled',
  enable_presence_by_hs_url: 'synapse.presence',
}

const SECRET_IN_FILE = 'it would write a secret into the rendered file; messenger-stack reads it from the secrets folder instead'

const RULES: Readonly<Record<ExtraConfigSection, SectionRules>> = {
  synapse: {
    file: 'homeserver.yaml',
    owned: ownedKeys(HomeserverConfigSchema.shape, HOMESERVER_OVERRIDABLE_KEYS),
    typedField: SYNAPSE_TYPED_FIELDS,
    // Secrets (macaroon_secret_key, form_secret, ...) are refused wherever they are nested: see secret-values.ts.
    reserved: {
      databases: 'it would replace the PostgreSQL database messenger-stack configures (Synapse refuses both database and databases)',
    },
    snakeCase: true,
  },
  livekit: {
    file: 'LiveKit config.yaml',
    owned: ownedKeys(LiveKitConfigSchema.shape),
    known: LIVEKIT_TOP_LEVEL_KEYS,
    typedField: LIVEKIT_TYPED_FIELDS,
    reserved: {
      keys: SECRET_IN_FILE,
      log_level: 'it is the deprecated spelling of logging.level, which messenger-stack renders from livekit.logLevel',
    },
    snakeCase: true,
  },
  elementWeb: {
    file: 'Element Web config.json',
    owned: ownedKeys(ElementConfigSchema.shape),
    typedField: ELEMENT_TYPED_FIELDS,
    reserved: {
      default_server_name:
        'Element Web must use exactly one of default_server_config and default_server_name; messenger-stack renders default_server_config',
      default_hs_url:
        'Element Web must use exactly one of default_server_config and default_hs_url; messenger-stack renders default_server_config',
    },
    snakeCase: true,
  },
}

const toSnakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

function keyIssue(section: ExtraConfigSection, key: string): SpecIssue | undefined {
  const rules = RULES[section]
  const path = [section, 'extraConfig', key]
  const where = `${section}.extraConfig`
  const shown = JSON.stringify(key)
  const reason = rules.reserved[key]
  if (reason !== undefined) {
    return { path, code: 'owned_key', message: `${where} sets ${shown}, but ${reason}.`, hint: `remove ${shown} from ${where}.` }
  }
  if (rules.owned.has(key)) {
    const field = rules.typedField[key]
    return {
      path,
      code: 'owned_key',
      message:
        field === undefined
          ? `${where} sets ${shown}, which messenger-stack renders itself in ${rules.file} so that coupled files stay consistent.`
          : `${where} sets ${shown}, which messenger-stack renders itself in ${rules.file}; use ${field} instead.`,
      hint: field === undefined ? `remove ${shown} from ${where}.` : `remove ${shown} from ${where} and set ${field}.`,
    }
  }
  if (rules.snakeCase && !/^[a-z][a-z0-9_]*$/.test(key)) {
    const snake = toSnakeCase(key)
    return {
      path,
      code: 'unknown_upstream_key',
      message: `${where} key ${shown} is not in snake_case, the only spelling messenger-stack writes into ${rules.file}.`,
      hint: /^[a-z][a-zA-Z0-9_]*$/.test(key) ? `write it as "${snake}".` : 'use the upstream key name in snake_case.',
    }
  }
  if (rules.known !== undefined && !rules.known.includes(key)) {
    const suggestion = closestKey(key, rules.known)
    return {
      path,
      code: 'unknown_upstream_key',
      message: `${where} sets ${shown}, which ${rules.file} does not know; LiveKit refuses to start on unknown keys.`,
      hint:
        suggestion === undefined ? `remove ${shown}; see LiveKit's config reference for the known keys.` : `did you mean "${suggestion}"?`,
    }
  }
  return undefined
}

/** The issues of one `extraConfig` map: owned keys, secrets at any depth, unknown upstream keys. */
export function extraConfigIssues(section: ExtraConfigSection, extra: Readonly<Record<string, unknown>>): SpecIssue[] {
  return [
    ...Object.keys(extra)
      .sort()
      .flatMap((key) => keyIssue(section, key) ?? []),
    ...secretValueIssues(section, extra),
  ]
}

/**
 * Refuses `extraConfig` keys that messenger-stack owns (derived from the output models),
 * secrets at any depth (`smtp_pass`, `client_secret`, private keys, ...), and (LiveKit) keys upstream does not know.
 */
export function checkExtraConfig(spec: DeploymentSpec): SpecIssue[] {
  return [
    ...extraConfigIssues('synapse', spec.synapse.extraConfig),
    ...extraConfigIssues('livekit', spec.livekit.extraConfig),
    ...extraConfigIssues('elementWeb', spec.elementWeb.extraConfig),
  ]
}

/**
 * Merges an `extraConfig` map into a rendered model: model keys keep their order (an
 * overridable key is replaced in place), the remaining extra keys follow sorted, and every
 * user map is key-sorted, so the output does not depend on the input's key order.
 *
 * @throws {SpecError} when the map sets a key the SDK owns (a spec that skipped parsing).
 */
export function mergeExtraConfig(
  section: ExtraConfigSection,
  model: object,
  extra: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const issues = extraConfigIssues(section, extra)
  if (issues.length > 0) throw new SpecError(issues)
  // Model keys are ours, so plain assignment is safe (and much faster than Object.fromEntries);
  // keys only the user wrote are defined, so that even `__proto__` stays a plain key.
  const merged: Record<string, unknown> = {}
  for (const key of Object.keys(model)) {
    const value = (model as Record<string, unknown>)[key]
    if (value !== undefined) merged[key] = Object.hasOwn(extra, key) ? sortKeysDeep(extra[key]) : value
  }
  for (const key of Object.keys(extra).sort()) {
    if (Object.hasOwn(model, key) || extra[key] === undefined) continue
    Object.defineProperty(merged, key, { value: sortKeysDeep(extra[key]), enumerable: true, writable: true, configurable: true })
  }
  return merged
}
