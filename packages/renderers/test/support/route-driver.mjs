// Sends HTTPS requests to the nginx under test and reports which upstream answered. Runs inside
// the test's network namespace: node route-driver.mjs <requests.json> <host> <port>.
// Each request: { method, path, headers?, source? }; each answer, one JSON line in request order:
// { status, upstream } where upstream is the X-Upstream header of the stub that answered.
import { readFileSync } from 'node:fs'
import { request } from 'node:https'

const [file, host, port] = process.argv.slice(2)
const requests = JSON.parse(readFileSync(file, 'utf8'))

function send(req, index) {
  // A client address of its own per request (the login route limits per address) unless given.
  const source = req.source ?? `127.${1 + Math.floor(index / 62_500)}.${1 + (Math.floor(index / 250) % 250)}.${1 + (index % 250)}`
  return new Promise((resolve) => {
    const r = request(
      {
        host: '127.0.0.1',
        port: Number(port),
        servername: host,
        method: req.method,
        path: req.path,
        headers: { Host: host, ...(req.headers ?? {}) },
        localAddress: source,
        rejectUnauthorized: false,
        timeout: 10_000,
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve({ status: res.statusCode, upstream: res.headers['x-upstream'] ?? null }))
      },
    )
    r.on('timeout', () => r.destroy(new Error('timeout')))
    r.on('error', (error) => resolve({ status: 0, upstream: null, error: error.message }))
    r.end()
  })
}

const results = new Array(requests.length)
let next = 0
async function worker() {
  while (next < requests.length) {
    const index = next++
    results[index] = await send(requests[index], index)
  }
}
// Few at a time: the harness nginx has 64 connections, and each request holds three (client, upstream, stub).
await Promise.all(Array.from({ length: 4 }, worker))
for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`)
