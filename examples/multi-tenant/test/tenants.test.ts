import { createHash } from 'node:crypto'
import { renderAll } from '@messenger-stack/renderers'
import { expect, it } from 'vitest'
import { parse } from 'yaml'
import { TENANTS, tenantSpecs } from '../src/tenants.js'

const specs = tenantSpecs()
const bundles = new Map([...specs].map(([id, spec]) => [id, renderAll(spec)]))

it('every tenant renders; a summary of each bundle is pinned (file count and a hash of its bytes)', async () => {
  const summary = [...bundles].map(([id, files]) => {
    const hash = createHash('sha256')
    for (const file of files) hash.update(`${file.path}\0${file.mode}\0${file.content}\0`)
    return { tenant: id, files: files.length, sha256: hash.digest('hex') }
  })
  await expect(`${JSON.stringify(summary, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/tenants.json')
})

/** "127.0.0.1:3708:3708/tcp" -> "127.0.0.1:3708/tcp"; "7881:7881/tcp" -> "*:7881/tcp". */
function hostSide(port: string): string {
  const [mapping = '', protocol = 'tcp'] = port.split('/')
  const parts = mapping.split(':')
  const host = parts.length === 3 ? `${parts[0]}:${parts[1]}` : `*:${parts[0]}`
  return `${host}/${protocol}`
}

it('tenants sharing a host never publish the same host port', () => {
  const owners = new Map<string, string>()
  for (const [id, files] of bundles) {
    for (const file of files.filter((f) => f.path.startsWith('docker-compose'))) {
      const compose = parse(file.content) as { services: Record<string, { ports?: string[] }> }
      for (const service of Object.values(compose.services)) {
        for (const port of service.ports ?? []) {
          const key = hostSide(port)
          const owner = owners.get(key)
          expect(owner === undefined || owner === id, `${id} and ${owner} both publish ${key}`).toBe(true)
          owners.set(key, id)
        }
      }
    }
  }
  expect(owners.size).toBeGreaterThan(TENANTS.length)
})

it('tenants are isolated: no tenant name appears in another tenant’s files', () => {
  for (const [id, files] of bundles) {
    for (const other of TENANTS.filter((tenant) => tenant.id !== id)) {
      for (const file of files) expect(file.content.includes(other.domain), `${other.domain} in ${id}/${file.path}`).toBe(false)
    }
  }
})
