import { createConnection, createServer, type Server } from 'node:net'

/**
 * Stand-in for Docker's port publishing (`443:8443`): accepts on `listenPort` and pipes each
 * connection to `targetPort` on the same address. Runs inside the private network namespace.
 */
export function forwardTcp(host: string, listenPort: number, targetPort: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = createConnection({ host, port: targetPort })
    inbound.pipe(outbound).pipe(inbound)
    const close = () => {
      inbound.destroy()
      outbound.destroy()
    }
    inbound.on('error', close)
    outbound.on('error', close)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(listenPort, host, () => resolve(server))
  })
}
