import * as z from 'zod'

/**
 * Where `https://<serverName>/.well-known/matrix/client` and `/server` are served: by this
 * deployment, or by another web server (the server name's own website, say).
 */
export const WellKnownServedBySchema = z.enum(['this-deployment', 'elsewhere'])

/** Where the Matrix discovery files of the server name are served. */
export const WellKnownOptionsSchema = z
  .strictObject({
    servedBy: WellKnownServedBySchema.default('this-deployment').register(z.globalRegistry, {
      description:
        "Who serves `https://<serverName>/.well-known/matrix/client` and `/server`. 'this-deployment': this bundle's nginx serves them (so `serverName` points at this host and is in the certificate). 'elsewhere': `serverName` is a website on another server (`matrixHost` must differ): the bundle leaves `serverName` out of the certificate, the nginx site and the DNS records, and DEPLOY.md prints the two documents to publish there. Microservice mode with a `matrixHost` of its own needs 'elsewhere': the gateway include serves `matrixHost` only.",
    }),
  })
  .register(z.globalRegistry, { description: 'The Matrix discovery files (well-known) of the server name: who serves them.' })

/** Where the well-known files of the server name are served. */
export type WellKnownOptions = z.output<typeof WellKnownOptionsSchema>
