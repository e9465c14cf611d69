// Runs the exported validators and lenient schemas on upstream-style files (not ours).
import { readFileSync } from 'node:fs'
import {
  LenientElementConfigSchema,
  LenientHomeserverConfigSchema,
  formatPath,
  validateElementConfig,
  validateHomeserver,
} from '@messenger-stack/config-schema'

const homeserverText = readFileSync('homeserver.yaml', 'utf8')
const elementText = readFileSync('element-config.json', 'utf8')
const report = (result) => ({
  success: result.success,
  upstream: result.upstream,
  issues: result.issues.map((issue) => `${issue.file}:${issue.line}:${issue.column} ${issue.message}`),
  notModelled: result.notModelled.map((key) => `${formatPath(key.path)} ${key.line}:${key.column}`),
})
const homeserver = validateHomeserver(homeserverText)
const out = {
  homeserver: report(homeserver),
  element: report(validateElementConfig(elementText, 'config.json')),
  schemas: {
    homeserver: homeserver.success && LenientHomeserverConfigSchema.safeParse(homeserver.config).success,
    element: LenientElementConfigSchema.safeParse(JSON.parse(elementText)).success,
  },
  broken: report(validateHomeserver('server_name: chat.example.test\nreport_stats: sometimes\n')),
}
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
