import { COMPOSE_PATHS, composeFilesFor, composeVariantsFor, renderCompose } from '../src/index.js'
import { EXAMPLES, example, parseCompose, spec, type ComposeDoc } from './_fixtures.js'
import type { DeploymentSpec } from '@messenger-stack/config-schema'

/** Specs covering every branch of the renderers: both examples plus fragments. */
export function coverageSpecs(): Array<[string, DeploymentSpec]> {
  return [
    ...EXAMPLES.map((name): [string, DeploymentSpec] => [`example ${name}`, example(name)]),
    [
      'standalone, certificate files',
      spec({ tls: { certificateFiles: { certificate: '/etc/ssl/chat/fullchain.pem', key: '/etc/ssl/chat/privkey.pem' } } }),
    ],
    ['standalone, no calls, no Element', spec({ livekit: { enabled: false }, elementWeb: { enabled: false } })],
    [
      'standalone, UDP mux + TURN/TLS, large',
      spec({ resources: 'large', livekit: { udpPort: 7882, turn: { tlsPort: 5349, udpPort: 3479, domain: 'turn.example.org' } } }),
    ],
    ['standalone, lk-jwt-service on 8090', spec({ livekit: { jwtPort: 8090 } })],
    ['microservice, nothing colour-switched', spec({ mode: 'microservice', gateway: { colourSwitched: [] } })],
    [
      'microservice, no calls, no Element (empty colours)',
      spec({ mode: 'microservice', livekit: { enabled: false }, elementWeb: { enabled: false } }),
    ],
    [
      'microservice with monitoring: exporters and Prometheus in the core',
      spec({ mode: 'microservice', monitoring: { postgresExporter: true, redisExporter: true, prometheus: { enabled: true } } }),
    ],
    ['microservice, metrics only (a Prometheus of your own)', spec({ mode: 'microservice', monitoring: {} })],
    [
      'microservice, only Element switched, custom gateway',
      spec({ mode: 'microservice', serviceName: 'chat', gateway: { network: 'edge', colourSwitched: ['element-web'] } }),
    ],
  ]
}

/** One rendered file, parsed. */
export interface RenderedCompose {
  readonly label: string
  readonly path: string
  readonly text: string
  readonly doc: ComposeDoc
}

/** Every compose file of every coverage spec. */
export function everyRenderedFile(): RenderedCompose[] {
  return coverageSpecs().flatMap(([label, s]) =>
    composeFilesFor(s).map((file) => ({
      label: `${label}: ${file.path}`,
      path: file.path,
      text: file.content,
      doc: parseCompose(file.content),
    })),
  )
}

/** Renders and parses every variant of one spec, by variant. */
export function renderedVariants(s: DeploymentSpec): Map<string, ComposeDoc> {
  return new Map(composeVariantsFor(s).map((v) => [COMPOSE_PATHS[v], parseCompose(renderCompose(s, v))]))
}
