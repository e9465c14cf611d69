import { describe, expect, it } from 'vitest'
import { deriveValues, ImageRefSchema, parseDeploymentSpec } from '@messenger-stack/config-schema'
import { composeModel } from '../src/index.js'
import { everyRenderedFile } from './_walk.js'
import { spec } from './_fixtures.js'

const files = everyRenderedFile()
const services = files.flatMap((file) =>
  Object.entries(file.doc.services).map(([name, svc]) => ({ file, name, svc: svc as Record<string, any> })),
)

describe('every service of every rendered file', () => {
  it('has services to walk', () => {
    expect(services.length).toBeGreaterThan(30)
  })

  it.each(services.map((s) => [`${s.file.label} ${s.name}`, s] as const))('%s is hardened', (_label, { svc, name }) => {
    // Non-root, written literally (no variable can change it), as a string.
    expect(typeof svc.user).toBe('string')
    expect(svc.user).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/)
    expect(svc.cap_drop).toEqual(['ALL'])
    expect(svc.cap_add).toBeUndefined()
    expect(svc.security_opt).toEqual(['no-new-privileges:true'])
    expect(svc.read_only).toBe(true)
    expect(svc.restart).toBe('unless-stopped')
    expect(svc.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } })
    expect(svc.mem_limit).toMatch(/^[1-9][0-9]*m$/)
    expect(svc.pids_limit).toBeGreaterThan(0)
    // Pinned image: a tag that is not latest.
    expect(ImageRefSchema.safeParse(svc.image).success).toBe(true)
    expect(svc.image).toMatch(/:[A-Za-z0-9_][A-Za-z0-9_.-]*$/)
    expect(svc.image).not.toMatch(/:latest$/)
    // A healthcheck, or the one documented exception.
    if (svc.healthcheck.disable === true) {
      // lk-jwt-service's probe only works on its default port (see lkJwtBind); redis_exporter's
      // image has no shell and no HTTP client.
      expect(['lk-jwt-service', 'redis-exporter']).toContain(name)
    } else {
      expect(['CMD', 'CMD-SHELL']).toContain(svc.healthcheck.test[0])
      expect(svc.healthcheck.test.length).toBeGreaterThan(1)
      expect(svc.healthcheck.start_interval).toBeUndefined()
    }
    // Secrets only from ./secrets, read-only, one file each, under /secrets.
    for (const volume of (svc.volumes ?? []) as string[]) {
      if (volume.startsWith('./secrets')) expect(volume).toMatch(/^\.\/secrets\/[^/:]+:\/secrets\/[^/:]+:ro$/)
      if (volume.startsWith('./') && !volume.startsWith('./secrets')) expect(volume.endsWith(':ro')).toBe(true)
    }
    // No database or Redis port on the host.
    if (name === 'postgres' || name === 'redis') expect(svc.ports).toBeUndefined()
  })

  it('files have no version, no top-level name, only services/networks/volumes', () => {
    for (const file of files) {
      expect(Object.keys(file.doc).filter((k) => !['services', 'networks', 'volumes'].includes(k))).toEqual([])
      expect(file.text).not.toMatch(/^(version|name):/m)
      expect(file.text).not.toContain('start_interval')
    }
  })

  it('only nginx and LiveKit publish ports; Synapse (its listener serves the admin API) publishes none, not even on loopback', () => {
    for (const { name, svc } of services) {
      if (svc.ports !== undefined) expect(['nginx', 'livekit']).toContain(name)
      for (const port of svc.ports ?? []) expect(port).not.toMatch(/^127\./)
    }
  })

  it('mem_limit comes from the resource profile and small stays well under 2 GB', () => {
    const s = spec()
    const model = composeModel(s, 'standalone')
    const limits = deriveValues(s).resources.memoryLimitsMb
    expect(model.services.synapse!.mem_limit).toBe(`${limits.synapse}m`)
    const totalMb = Object.values(model.services).reduce((sum, svc) => sum + Number.parseInt(svc.mem_limit, 10), 0)
    expect(totalMb).toBeLessThanOrEqual(1536)
  })

  it('uses the spec uid/gid as defaults', () => {
    const s = parseDeploymentSpec({
      serverName: 'example.org',
      containerUser: { uid: 4242, gid: 77 },
      tls: { letsEncrypt: { email: 'a@example.org' } },
    })
    expect(composeModel(s, 'standalone').services.postgres!.user).toBe('4242:77')
  })
})
