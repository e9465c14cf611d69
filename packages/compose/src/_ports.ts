import type { PortRange, ServicePort } from '@messenger-stack/config-schema'

const range = (ports: PortRange): string => (ports.start === ports.end ? String(ports.start) : `${ports.start}-${ports.end}`)

/**
 * The `ports:` of a service, printed from config-schema's port model (a workload's ports):
 * short syntax with explicit protocol, `[127.0.0.1:]host:container/protocol`, ranges as `a-b`.
 * Undefined when the service publishes nothing.
 */
export function composePorts(ports: readonly ServicePort[]): string[] | undefined {
  const published = ports.flatMap((port) =>
    port.published === undefined ? [] : [`${range(port.published)}:${range(port.container)}/${port.protocol}`],
  )
  return published.length > 0 ? published : undefined
}
