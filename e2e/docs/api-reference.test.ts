// The typedoc API reference is part of the product: every public export documented, no
// dangling references (typedoc.json treats warnings as errors). The command is taken from the
// README and run exactly as written there (`pnpm docs` would reach npm's own `docs` command).
import { execSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** The README line that says how to build the API reference, and its command. */
function readmeDocsCommand(): { command: string; out: string } {
  const line = readFileSync(join(root, 'README.md'), 'utf8')
    .split('\n')
    .find((l) => l.includes('builds the typedoc API reference'))
  const match = line?.match(/^- `([^`]+)` builds the typedoc API reference into `([^`]+)\/`/)
  if (match === undefined || match === null) throw new Error('README.md no longer says how to build the API reference')
  return { command: match[1]!, out: match[2]! }
}

it('the README command builds the API reference of every package without a warning', () => {
  const { command, out } = readmeDocsCommand()
  expect(command).toBe('pnpm docs:build')
  const output = execSync(command, { cwd: root, encoding: 'utf8', timeout: 240_000, stdio: ['ignore', 'pipe', 'pipe'] })
  expect(output).toContain('html generated')
  expect(existsSync(join(root, out, 'index.html'))).toBe(true)
  // The spec's page lists its fields with their descriptions (not `z.output<typeof ...>`), and
  // the renderers' pages link to it instead of inlining the type.
  const page = (path: string) => readFileSync(join(root, out, path), 'utf8').replace(/<[^>]+>/g, ' ')
  const spec = page('interfaces/_messenger-stack_config-schema.DeploymentSpec.html')
  expect(spec).toContain('The Matrix server name: the domain in user IDs')
  expect(spec).toContain('Largest file users may upload')
  expect(spec).not.toContain('z.output')
  const input = page('types/_messenger-stack_config-schema.DeploymentSpecInput.html')
  expect(input).toMatch(/holds\s+exactly\s+one\s+of\s+letsEncrypt\s+and\s+certificateFiles/)
  const renderAll = readFileSync(join(root, out, 'functions/_messenger-stack_renderers.renderAll.html'), 'utf8')
  expect(renderAll).toMatch(/href="[^"]*_messenger-stack_config-schema\.DeploymentSpec\.html"/)
  // The nginx subpath has its own module (packages/config-schema/typedoc.json), and the
  // renderers' block trees link to its types.
  expect(page('functions/_messenger-stack_config-schema.nginx.printNginx.html')).toContain('The one nginx printer of messenger-stack')
  const gatewayModel = readFileSync(join(root, out, 'functions/_messenger-stack_renderers.gatewayProxyModel.html'), 'utf8')
  // So do the formats and the Node subpath.
  expect(page('functions/_messenger-stack_config-schema.formats.toYaml.html')).toContain('The one YAML printer of messenger-stack')
  expect(page('modules/_messenger-stack_config-schema.node.html')).toMatch(/Loading\s+a\s+spec\s+file,\s+the\s+secrets\s+folder/)
  expect(gatewayModel).toMatch(/href="[^"]*_messenger-stack_config-schema\.nginx\.NginxNode\.html"/)
}, 300_000)
