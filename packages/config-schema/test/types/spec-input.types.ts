// Compile-time rules of a spec written in TypeScript. Compiled by ../types.test.ts: every
// `@ts-expect-error` must meet an error, and every other line must compile.
import { expectTypeOf } from 'vitest'
import type { z } from 'zod'
import {
  defineDeployment,
  type DeploymentSpec,
  type DeploymentSpecDocument,
  type DeploymentSpecInput,
  type DeploymentSpecSchema,
} from '../../src/index.js'

// The documented types and zod's own types describe the same data.
expectTypeOf<DeploymentSpecDocument>().toEqualTypeOf<z.input<typeof DeploymentSpecSchema>>()
expectTypeOf<DeploymentSpec>().toEqualTypeOf<z.output<typeof DeploymentSpecSchema>>()
// The rules only narrow: every spec they allow is a valid document.
expectTypeOf<DeploymentSpecInput>().toExtend<DeploymentSpecDocument>()

// Valid specs compile.
defineDeployment({ serverName: 'example.org', tls: { letsEncrypt: { email: 'admin@example.org' } } })
defineDeployment({ serverName: 'example.org', tls: { certificateFiles: { certificate: '/c.pem', key: '/k.pem' } }, mode: 'standalone' })
defineDeployment({ serverName: 'example.org', mode: 'microservice', containerUser: { uid: 1000, gid: 1000 } })
defineDeployment({ serverName: 'example.org', mode: 'microservice', livekit: { udpRange: { start: 50000, end: 50100 } } })
defineDeployment({ serverName: 'example.org', mode: 'microservice', livekit: { udpPort: 7882, turn: { udpPort: 3478 } } })
const uid: number = Number(process.env['UID'] ?? 1000)
defineDeployment({ serverName: 'example.org', mode: 'microservice', containerUser: { uid, gid: uid } })
const stored: DeploymentSpecInput = { serverName: 'example.org', mode: 'microservice' }
defineDeployment(stored)

// A typo in a field name.
// @ts-expect-error serverNmae is not a field (did you mean serverName?)
defineDeployment({ serverNmae: 'example.org', mode: 'microservice' })
// @ts-expect-error matrixHots is not a field
defineDeployment({ serverName: 'example.org', matrixHots: 'matrix.example.org', mode: 'microservice' })
// A wrong enum value.
// @ts-expect-error resources is 'small' | 'medium' | 'large'
defineDeployment({ serverName: 'example.org', mode: 'microservice', resources: 'huge' })

// tls: exactly one source.
defineDeployment({
  serverName: 'example.org',
  // @ts-expect-error letsEncrypt and certificateFiles together
  tls: { letsEncrypt: { email: 'admin@example.org' }, certificateFiles: { certificate: '/c.pem', key: '/k.pem' } },
})
// @ts-expect-error an empty tls
defineDeployment({ serverName: 'example.org', tls: {} })
// @ts-expect-error standalone (the default mode) needs tls
defineDeployment({ serverName: 'example.org' })
// @ts-expect-error microservice mode has no tls (the gateway terminates TLS)
defineDeployment({ serverName: 'example.org', mode: 'microservice', tls: { letsEncrypt: { email: 'admin@example.org' } } })

// livekit: a UDP mux port or a range, not both.
defineDeployment({
  serverName: 'example.org',
  mode: 'microservice',
  // @ts-expect-error udpPort and udpRange together
  livekit: { udpPort: 7882, udpRange: { start: 50000, end: 50100 } },
})

// containerUser: never root.
// @ts-expect-error uid 0 is root
defineDeployment({ serverName: 'example.org', mode: 'microservice', containerUser: { uid: 0, gid: 1000 } })
// @ts-expect-error gid 0 is root's group
defineDeployment({ serverName: 'example.org', mode: 'microservice', containerUser: { uid: 1000, gid: 0 } })
