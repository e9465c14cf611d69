import Mustache from 'mustache'
import { generatedHeader } from '@messenger-stack/config-schema'
import { shellQuote } from './shell-quote.js'

/**
 * Mustache delimiters of the shell templates. `{{ }}` is taken by the Go templates that
 * `docker inspect --format` reads, and `[[ ]]` by bash tests, so the templates use `<% %>`.
 */
const TAGS: [string, string] = ['<%', '%>']

function escapeForShell(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return shellQuote(value)
  throw new TypeError(`shell templates only interpolate strings, numbers and booleans, got ${typeof value}`)
}

/**
 * Renders a shell template: every `<% name %>` becomes one shell-quoted word (triple
 * mustaches are not used). The generated-file header goes right after the shebang line.
 */
export function renderShellTemplate(
  file: string,
  template: string,
  view: Readonly<Record<string, unknown>>,
  partials: Readonly<Record<string, string>> = {},
): string {
  const body = Mustache.render(template, view, partials, { tags: TAGS, escape: escapeForShell })
  const newline = body.indexOf('\n')
  const shebang = body.slice(0, newline)
  if (!shebang.startsWith('#!')) throw new Error(`shell template for ${file} must start with a shebang line`)
  const header = generatedHeader(file).map((line) => `# ${line}`)
  const text = `${shebang}\n${header.join('\n')}\n${body.slice(newline + 1)}`
  return text.endsWith('\n') ? text : `${text}\n`
}
