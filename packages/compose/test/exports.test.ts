import { expect, it } from 'vitest'
import * as api from '../src/index.js'

it('exports this API (review changes to it)', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "COLOURS",
      "COMPOSE_PATHS",
      "assertStatelessColour",
      "colourComposeModel",
      "colourSwitchedServices",
      "composeFilesFor",
      "composeModel",
      "composeVariantsFor",
      "coreComposeModel",
      "coreNetworkName",
      "metricsNetworkName",
      "renderCompose",
      "standaloneComposeModel",
      "standaloneNetworkName",
    ]
  `)
})
