// Sends requests to the nginx under test and reports which upstream answered. Runs inside the
// test's network namespace: node route-driver.mjs <requests.json> <host> <port> [https|http].
// Each request: { method, path, headers?, source? }; each answer, one JSON line in request order:
// { status, upstream } where upstream is the X-Upstream header of the stub that answered.
import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

const [file, host, port, scheme = 'https'] = process.argv.slice(2)
const requests = JSON.parse(readFileSync(file, 'utf8'))
const tls = scheme === 'https'

function send(req, index) {
  // A client address of its own per request (the login route limits per address) unless given.
  const source = req.source ?? `127.${1 + Math.floor(index / 62_500)}.${1 + (Math.floor(index / 250) % 250)}.${1 + (index % 250)}`
  return new Promise((resolve) => {
    const options = {
      host: '127.0.0.1',
      port: Number(port),
      method: req.method,
      path: req.path,
      headers: { Host: host, ...(req.headers ?? {}) },
      localAddress: source,
      timeout: 10_000,
      ...(tls ? { servername: host, rejectUnauthorized: false } : {}),
    }
    const r = (tls ? httpsRequest : httpRequest)(options, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode, upstream: res.headers['x-upstream'] ?? null }))
    })
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
