/**
 * The services of the stack, by their compose service name, in the order files list them.
 * The service catalogue holds one record for each. `synapse-worker` stands for every Synapse
 * worker: each of them is a workload (and compose service) of its own, named after the worker.
 */
export const SERVICES = [
  'synapse',
  'synapse-worker',
  'postgres',
  'redis',
  'livekit',
  'lk-jwt-service',
  'element-web',
  'nginx',
  'router',
  'certbot',
  'postgres-exporter',
  'redis-exporter',
  'prometheus',
] as const

/** A service of the stack. */
export type ServiceName = (typeof SERVICES)[number]

/**
 * The container name of a service, which is also the host name other containers use to
 * reach it: `messenger-synapse`, or `messenger-element-web-blue` for a colour-switched
 * service in microservice mode.
 */
export function containerName(spec: { readonly serviceName: string }, service: ServiceName, colour?: 'blue' | 'green'): string {
  return colour === undefined ? `${spec.serviceName}-${service}` : `${spec.serviceName}-${service}-${colour}`
}
