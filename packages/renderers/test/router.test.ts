// The microservice router: its config as printed, nginx -t on it, and (router-behaviour.test.ts)
// what it does with real requests.
import { describe, expect, it } from 'vitest'
import { containerName, routerConfPath, routerRoutes } from '@messenger-stack/config-schema'
import { renderRouter, routerModel } from '../src/router.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'
import { nginxTest, prepareNginxPrefix } from './support/nginx-harness.js'
import { flattenNginx, parseNginx } from './support/nginx-parse.js'

const MICROSERVICE_EXAMPLES = EXAMPLES.filter((name) => exampleSpec(name).mode === 'microservice')

describe.each(MICROSERVICE_EXAMPLES)('the router of examples/%s', (name) => {
  const spec = exampleSpec(name)

  it('matches the golden file', async () => {
    await expect(renderRouter(spec)).toMatchFileSnapshot(`golden/${name}/${routerConfPath(spec.serviceName)}`)
  })

  it('serves the routes to the core and refuses the admin API; nothing of lk-jwt-service or Element Web', () => {
    const locations = flattenNginx(parseNginx(renderRouter(spec)))
      .map(({ directive }) => directive)
      .filter((node) => node.name === 'location')
      .map((node) => node.args.join(' '))
    expect(locations.length).toBe(routerRoutes(spec).length + 2)
    expect(locations).toContain('^~ /_synapse/admin')
    expect(locations.at(-1)).toBe('/')
    const upstreams = [...renderRouter(spec).matchAll(/proxy_pass http:\/\/([a-z0-9-]+):/g)].map((match) => match[1])
    expect(new Set(upstreams)).toEqual(new Set([containerName(spec, 'synapse'), containerName(spec, 'livekit')]))
  })

  it('is accepted by the real nginx -t, in http context as the image includes conf.d', () => {
    const prepared = prepareNginxPrefix({
      prefixFiles: { [`conf.d/${routerConfPath(spec.serviceName).split('/').at(-1)}`]: renderRouter(spec) },
      hosts: [containerName(spec, 'synapse'), containerName(spec, 'livekit')],
    })
    try {
      const result = nginxTest(prepared)
      expect(result.output).toContain('test is successful')
    } finally {
      prepared.cleanup()
    }
  })
})

it('belongs to microservice mode only', () => {
  expect(() => routerModel(exampleSpec('standalone'))).toThrow(/belongs to microservice mode/)
})
