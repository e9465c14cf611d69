import { expect, it } from 'vitest'
import * as api from '../src/index.js'

it('exports this API (review changes to it)', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "CERTBOT_RENEW_SECONDS",
      "COLOURS",
      "COMPOSE_PATHS",
      "NGINX_RELOAD_SECONDS",
      "POSTGRES_SUPERUSER",
      "SYNAPSE_SECRET_FILES",
      "assertStatelessColour",
      "certbotDirectoryFlags",
      "colourComposeModel",
      "colourSwitchedServices",
      "composeDataVolumes",
      "composeEnvironmentVariables",
      "composeFilesFor",
      "composeModel",
      "composePorts",
      "composeVariantsFor",
      "coreComposeModel",
      "coreNetworkName",
      "dataVolumeName",
      "renderCompose",
      "standaloneComposeModel",
      "standaloneNetworkName",
    ]
  `)
})
