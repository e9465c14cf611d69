/**
 * The services of the stack, by their compose service name, in the order files list them.
 * The service catalogue holds one record for each.
 */
export const SERVICES = ['synapse', 'postgres', 'redis', 'livekit', 'lk-jwt-service', 'element-web', 'nginx', 'certbot'] as const

/** A service of the stack. */
export type ServiceName = (typeof SERVICES)[number]
