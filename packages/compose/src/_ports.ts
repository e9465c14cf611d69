import { portsOf, type DeploymentSpec, type PortRange, type ServiceName } from '@messenger-stack/config-schema'

const range = (ports: PortRange): string => (ports.start === ports.end ? String(ports.start) : `${ports.start}-${ports.end}`)

/**
 * The `ports:` of a service, printed from config-schema's port model (`servicePorts`): short
 * syntax with explicit protocol, `[127.0.0.1:]host:container/protocol`, ranges as `a-b`.
 * Undefined when the service publishes nothing.
 */
export function composePorts(spec: DeploymentSpec, service: ServiceName): string[] | undefined {
  const published = portsOf(spec, service).flatMap((port) =>
    port.published === undefined
      ? []
      : [`${port.published.loopback ? '127.0.0.1:' : ''}${range(port.published)}:${range(port.container)}/${port.protocol}`],
  )
  return published.length > 0 ? published : undefined
}
