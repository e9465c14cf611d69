// A deliberate typo: this file must not compile.
import { defineDeployment } from '@messenger-stack/config-schema'

export const spec = defineDeployment({ serverName: 'example.org', mode: 'microservice', matrixHots: 'matrix.example.org' })
