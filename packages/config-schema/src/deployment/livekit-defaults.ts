/**
 * The default TURN relay ports: 50 UDP ports. A relayed participant holds up to four relay
 * allocations (publisher and subscriber connection, each over TURN/UDP and TURN/TLS), so this
 * serves about a dozen participants behind strict firewalls at once; each published port is
 * one Docker proxy process, hence not LiveKit's own 30000-40000.
 */
export const DEFAULT_TURN_RELAY_RANGE = { start: 30_000, end: 30_049 } as const

/**
 * The default LiveKit media port (UDP mux), used when neither `udpPort` nor `udpRange` is set:
 * one published port instead of thousands of Docker port proxies.
 */
export const DEFAULT_UDP_MUX_PORT = 7882
