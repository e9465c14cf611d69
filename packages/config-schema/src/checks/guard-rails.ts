import type { AcknowledgedRisk } from '../deployment/risks.js'
import type { DeploymentSpec } from '../deployment/spec.js'
import { showValue, type SpecIssue } from '../errors/issue.js'
import { cidrContains, cidrOverlaps, parseCidr, type CidrRange } from '../network/cidr.js'
import { PRIVATE_ADDRESS_RANGES } from '../network/private-ranges.js'

/**
 * PostgreSQL settings that decide who may log in and how, which files the server reads,
 * which code it loads and which commands it runs. Any of them in `postgres.extraSettings`
 * can turn the database into a shell for whoever controls the spec's escape hatch, or open
 * it without a password, so each needs the acknowledged risk `postgres-server-settings`.
 */
const POSTGRES_SENSITIVE_SETTINGS: readonly string[] = [
  'hba_file',
  'ident_file',
  'config_file',
  'data_directory',
  'external_pid_file',
  'password_encryption',
  'scram_iterations',
  'krb_server_keyfile',
  'krb_caseins_users',
  'db_user_namespace',
  'listen_addresses',
  'unix_socket_directories',
  'unix_socket_group',
  'unix_socket_permissions',
  'archive_mode',
  'archive_command',
  'archive_library',
  'restore_command',
  'archive_cleanup_command',
  'recovery_end_command',
  'shared_preload_libraries',
  'session_preload_libraries',
  'local_preload_libraries',
  'dynamic_library_path',
  'jit_provider',
  'allow_system_table_mods',
  'allow_alter_system',
  'lo_compat_privileges',
  'log_directory',
  'log_filename',
  'log_file_mode',
  'logging_collector',
]

/** Setting name prefixes with the same weight: TLS and included configuration files. */
const POSTGRES_SENSITIVE_PREFIXES: readonly string[] = ['ssl', 'include']

function isSensitivePostgresSetting(name: string): boolean {
  return POSTGRES_SENSITIVE_SETTINGS.includes(name) || POSTGRES_SENSITIVE_PREFIXES.some((prefix) => name.startsWith(prefix))
}

function acknowledged(spec: Pick<DeploymentSpec, 'acknowledgedRisks'>, risk: AcknowledgedRisk): boolean {
  return spec.acknowledgedRisks.includes(risk)
}

function riskHint(risk: AcknowledgedRisk, remedy: string): string {
  return `${remedy}; if you really mean it, add "${risk}" to acknowledgedRisks (see docs/security.md).`
}

/**
 * Refuses `postgres.extraSettings` that change authentication, TLS, loaded code, included
 * files or commands the server runs, unless the spec acknowledges `postgres-server-settings`.
 */
export function checkPostgresSettings(spec: Pick<DeploymentSpec, 'postgres' | 'acknowledgedRisks'>): SpecIssue[] {
  if (acknowledged(spec, 'postgres-server-settings')) return []
  return Object.keys(spec.postgres.extraSettings)
    .filter(isSensitivePostgresSetting)
    .sort()
    .map((name) => ({
      path: ['postgres', 'extraSettings', name],
      code: 'unsafe_setting' as const,
      message: `postgres.extraSettings sets "${name}", which changes how PostgreSQL authenticates clients, which files or code it loads, or which commands it runs.`,
      hint: riskHint(
        'postgres-server-settings',
        `remove "${name}": messenger-stack already renders scram-sha-256 authentication and its own pg_hba.conf`,
      ),
    }))
}

const PRIVATE_RANGES: readonly CidrRange[] = PRIVATE_ADDRESS_RANGES.map((range) => parseCidr(range)!)

/** Synapse settings whose entries let Synapse connect to the addresses they list. */
const SYNAPSE_WHITELISTS = ['ip_range_whitelist', 'url_preview_ip_range_whitelist'] as const

/** Synapse settings whose entries keep Synapse away from the addresses they list. */
const SYNAPSE_BLACKLISTS = ['ip_range_blacklist', 'federation_ip_range_blacklist'] as const

function rangesOf(value: unknown): { ranges: CidrRange[]; invalid: unknown[] } | undefined {
  if (!Array.isArray(value)) return undefined
  const ranges: CidrRange[] = []
  const invalid: unknown[] = []
  for (const entry of value) {
    const range = typeof entry === 'string' ? parseCidr(entry) : undefined
    if (range === undefined) invalid.push(entry)
    else ranges.push(range)
  }
  return { ranges, invalid }
}

function networkIssue(key: string, message: string, remedy: string): SpecIssue {
  return {
    path: ['synapse', 'extraConfig', key],
    code: 'unsafe_setting',
    message,
    hint: riskHint('synapse-private-network-access', remedy),
  }
}

/**
 * Refuses a `synapse.extraConfig` that lets Synapse reach private networks: an
 * `ip_range_blacklist` (or its old name `federation_ip_range_blacklist`) that is empty or
 * misses a private range, and an `ip_range_whitelist` or `url_preview_ip_range_whitelist`
 * entry overlapping one, unless the spec acknowledges `synapse-private-network-access`.
 * Synapse's default blacklist covers every private range, so leaving the keys out is safe.
 */
export function checkSynapseNetworkAccess(spec: Pick<DeploymentSpec, 'synapse' | 'acknowledgedRisks'>): SpecIssue[] {
  if (acknowledged(spec, 'synapse-private-network-access')) return []
  const extra = spec.synapse.extraConfig
  const issues: SpecIssue[] = []
  for (const key of SYNAPSE_BLACKLISTS) {
    if (!Object.hasOwn(extra, key)) continue
    const parsed = rangesOf(extra[key])
    const missing = PRIVATE_ADDRESS_RANGES.filter((_, i) => !parsed?.ranges.some((range) => cidrContains(range, PRIVATE_RANGES[i]!)))
    if (parsed === undefined || missing.length > 0) {
      issues.push(
        networkIssue(
          key,
          parsed === undefined
            ? `synapse.extraConfig.${key} is not a list of address ranges, so Synapse could be left without its protection against connecting to private networks.`
            : `synapse.extraConfig.${key} leaves out ${missing.length} private address range${missing.length === 1 ? '' : 's'} (such as ${missing[0]}), so Synapse could be made to connect to hosts on internal networks.`,
          `remove ${key} (Synapse's default blocks every private range), or list every range of ${PRIVATE_ADDRESS_RANGES.join(', ')} in it`,
        ),
      )
    }
  }
  for (const key of SYNAPSE_WHITELISTS) {
    if (!Object.hasOwn(extra, key)) continue
    const parsed = rangesOf(extra[key])
    const opened = parsed?.ranges.filter((range) => PRIVATE_RANGES.some((privateRange) => cidrOverlaps(range, privateRange)))
    if (parsed === undefined || parsed.invalid.length > 0 || (opened?.length ?? 0) > 0) {
      issues.push(
        networkIssue(
          key,
          parsed === undefined || parsed.invalid.length > 0
            ? `synapse.extraConfig.${key} must be a list of address ranges such as "198.51.100.0/24"; ${showValue(parsed?.invalid[0] ?? extra[key])} is not one.`
            : `synapse.extraConfig.${key} opens private, loopback or link-local addresses to Synapse, so it could be made to connect to hosts on internal networks.`,
          `list only public address ranges in ${key}`,
        ),
      )
    }
  }
  return issues
}
