// What users write, as a type: the interfaces generated from the JSON Schema (which carry every
// field's description as JSDoc, so editors show it on hover), narrowed by the rules a compiler
// can check. The zod schema stays the one source of truth: a test checks both ways that this
// type and `z.input<typeof DeploymentSpecSchema>` agree, apart from these rules.
import type { DeploymentSpecDocument as Documented } from '../../schema/deployment-spec.js'

export type { DeploymentSpecDocument } from '../../schema/deployment-spec.js'

/** Shown by the compiler when a spec in TypeScript sets a user or group ID of 0. */
export interface RootIdRefused {
  'containers never run as root: choose a user or group ID above 0': never
}

/** A user or group ID that is not the literal 0 (root); see {@link RootIdRefused}. */
export type NonRootId<N extends number> = N extends 0 ? RootIdRefused : N

/** `containerUser` as written: both IDs, never the literal 0. */
export type ContainerUserInput<U extends number = number, G extends number = number> = Omit<
  NonNullable<Documented['containerUser']>,
  'uid' | 'gid'
> &
  Pick<NonNullable<Documented['containerUser']>, 'uid' | 'gid'> & { uid: NonRootId<U>; gid: NonRootId<G> }

/** `tls` as written: exactly one of `letsEncrypt` and `certificateFiles`. */
export type TlsInput =
  | (Required<Pick<NonNullable<Documented['tls']>, 'letsEncrypt'>> & { certificateFiles?: never })
  | (Required<Pick<NonNullable<Documented['tls']>, 'certificateFiles'>> & { letsEncrypt?: never })

/** `livekit` as written: a UDP mux port (`udpPort`) or a range (`udpRange`), not both. */
export type LiveKitInput = Omit<NonNullable<Documented['livekit']>, 'udpPort' | 'udpRange'> &
  (
    | (Pick<NonNullable<Documented['livekit']>, 'udpPort'> & { udpRange?: never })
    | (Pick<NonNullable<Documented['livekit']>, 'udpRange'> & { udpPort?: never })
  )

/** The fields both modes share: everything but `mode` and `tls`. */
export type SpecInputCommon<U extends number = number, G extends number = number> = Omit<
  Documented,
  'mode' | 'tls' | 'livekit' | 'containerUser'
> & {
  livekit?: LiveKitInput
  containerUser?: ContainerUserInput<U, G>
}

/** A standalone spec: `mode` absent or `'standalone'`, and `tls` required. */
export type StandaloneSpecInput<U extends number = number, G extends number = number> = SpecInputCommon<U, G> &
  Pick<Documented, 'mode'> & { mode?: 'standalone'; tls: TlsInput } & Pick<Documented, 'tls'>

/** A microservice spec: TLS is the gateway's job, so `tls` is not allowed. */
export type MicroserviceSpecInput<U extends number = number, G extends number = number> = SpecInputCommon<U, G> &
  Pick<Documented, 'mode'> & { mode: 'microservice'; tls?: never }

/**
 * What users write in a deployment spec, with every field documented (hover in an editor
 * shows the same descriptions as the JSON Schema) and the rules a compiler can check:
 * `tls` is required in standalone mode and refused in microservice mode, it holds exactly one
 * of `letsEncrypt` and `certificateFiles`, `livekit` sets `udpPort` or `udpRange` but not
 * both, and {@link defineDeployment} refuses a literal user or group ID of 0. Every other rule
 * (port clashes, hostnames, blue/green) is checked when the spec is parsed.
 *
 * The type parameters only carry the literal IDs for that check; leave them out.
 */
export type DeploymentSpecInput<U extends number = number, G extends number = number> =
  | StandaloneSpecInput<U, G>
  | MicroserviceSpecInput<U, G>
