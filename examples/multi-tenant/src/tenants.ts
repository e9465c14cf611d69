// Every tenant of a (fictional) hosting provider, in one TypeScript file. Each tenant is a
// microservice deployment behind the provider's nginx gateway; only what differs is written.
import { type DeploymentSpec, defineDeployment } from '@messenger-stack/config-schema'

/** What the provider knows about a customer. */
export interface Tenant {
  /** Short name: the compose project and container prefix. */
  readonly id: string
  /** The customer's Matrix server name. */
  readonly domain: string
  /** Their plan: the resource profile. */
  readonly plan: 'small' | 'medium' | 'large'
  /** Whether the plan includes calls. */
  readonly calls: boolean
}

export const TENANTS: readonly Tenant[] = [
  { id: 'acme', domain: 'acme.example', plan: 'medium', calls: true },
  { id: 'globex', domain: 'globex.example', plan: 'small', calls: false },
  { id: 'initech', domain: 'initech.example', plan: 'small', calls: true },
  { id: 'umbrella', domain: 'umbrella.example', plan: 'large', calls: true },
]

/**
 * The spec of one tenant. Tenants share a host, so each one gets its own published ports
 * (Synapse on loopback; LiveKit and its TURN relay ports when it has calls), derived from its position in the list.
 */
export function tenantSpec(tenant: Tenant, index: number): DeploymentSpec {
  return defineDeployment({
    serviceName: tenant.id,
    serverName: tenant.domain,
    mode: 'microservice',
    resources: tenant.plan,
    containerUser: { uid: 2000 + index, gid: 2000 + index },
    gateway: { network: 'provider-gateway' },
    backups: { encryption: 'none' },
    // Synapse's port is published on 127.0.0.1 (for register-user), so it differs per tenant too.
    synapse: { httpPort: 18_000 + index },
    livekit: tenant.calls
      ? {
          tcpPort: 17_000 + index * 10,
          udpPort: 17_001 + index * 10,
          turn: { udpPort: 17_002 + index * 10, relayRange: { start: 30_000 + index * 50, end: 30_049 + index * 50 } },
        }
      : { enabled: false },
  })
}

/** Every tenant's spec, keyed by tenant id. */
export function tenantSpecs(tenants: readonly Tenant[] = TENANTS): Map<string, DeploymentSpec> {
  return new Map(tenants.map((tenant, index) => [tenant.id, tenantSpec(tenant, index)]))
}
