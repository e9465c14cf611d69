// A SpecError thrown by the CommonJS build and one thrown by the ESM build, each checked by the
// other build's isSpecError and instanceof: two copies of the package, two SpecError classes.
import { createRequire } from 'node:module'
import * as esm from '@messenger-stack/config-schema'

const cjs = createRequire(import.meta.url)('@messenger-stack/config-schema')

function thrownBy(lib) {
  try {
    lib.parseDeploymentSpec({ serverName: 'Bad_Name' })
  } catch (error) {
    return error
  }
  throw new Error('parseDeploymentSpec accepted an invalid spec')
}

const fromEsm = thrownBy(esm)
const fromCjs = thrownBy(cjs)
const result = {
  sameClass: esm.SpecError === cjs.SpecError,
  isSpecError: { cjsErrorByEsm: esm.isSpecError(fromCjs), esmErrorByCjs: cjs.isSpecError(fromEsm) },
  instanceOf: { cjsErrorByEsm: fromCjs instanceof esm.SpecError, esmErrorByCjs: fromEsm instanceof cjs.SpecError },
  codes: [fromEsm.issues[0].code, fromCjs.issues[0].code],
}
process.stdout.write(`${JSON.stringify(result)}\n`)
