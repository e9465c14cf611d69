import type Mustache from 'mustache'
import { generatedHeader } from '@messenger-stack/config-schema/formats'
import { shellQuote } from './shell-quote.js'
import type { ScriptView } from './_common.js'
import { parseShellTemplate } from './_template-parse.js'
import { renderTemplateTokens, type TemplateScope } from './_template-render.js'

/**
 * Mustache delimiters of the shell templates. `{{ }}` is taken by the Go templates that
 * `docker inspect --format` reads, and `[[ ]]` by bash tests, so the templates use `<% %>`.
 */
const TAGS: [string, string] = ['<%', '%>']

/** A partial tag alone on its line, such as `<%> prelude%>`; the only way templates use partials. */
const STANDALONE_PARTIAL = /^<%>\s*([A-Za-z0-9_]+)\s*%>(?:\n|$)/gm

/** Partials nest at most this deep (ours do not nest at all). */
const MAX_PARTIAL_DEPTH = 8

function escapeForShell(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return shellQuote(value)
  throw new TypeError(`shell templates only interpolate strings, numbers and booleans, got ${typeof value}`)
}

/**
 * Inlines the partials of a template. A partial tag alone on its line renders exactly as its
 * text put in place of that line (the tag line is dropped, the partial ends with its own
 * newline), so inlining once gives the same bytes as mustache's partial lookup on each render.
 */
export function inlinePartials(file: string, template: string, partials: Readonly<Record<string, string>>, depth = 0): string {
  if (depth > MAX_PARTIAL_DEPTH) throw new Error(`shell template for ${file}: partials nest too deep`)
  const text = template.replace(STANDALONE_PARTIAL, (_line, name: string) => {
    const partial = partials[name]
    if (partial === undefined) throw new Error(`shell template for ${file} uses the unknown partial ${name}`)
    return inlinePartials(file, partial, partials, depth + 1)
  })
  if (text.includes('<%>')) throw new Error(`shell template for ${file}: a partial tag must stand alone on its line`)
  return text
}

interface Compiled {
  readonly shebang: string
  /** The generated-file header lines as shell comments, each followed by a newline. */
  readonly header: string
  readonly body: string
  readonly tokens: Mustache.TemplateSpans
}

function compile(file: string, template: string, partials: Readonly<Record<string, string>>): Compiled {
  const text = inlinePartials(file, template, partials)
  const newline = text.indexOf('\n')
  if (newline < 0) throw new Error(`shell template for ${file} must start with a shebang line`)
  const shebang = text.slice(0, newline)
  if (!shebang.startsWith('#!') || shebang.includes(TAGS[0])) throw new Error(`shell template for ${file} must start with a shebang line`)
  const body = text.slice(newline + 1)
  const header = generatedHeader(file)
    .map((line) => `# ${line}\n`)
    .join('')
  // Our parser, not mustache's (see _template-parse.ts); it also leaves mustache's shared template cache alone.
  return { shebang, header, body, tokens: parseShellTemplate(file, body) }
}

/**
 * Renders a prepared shell template. Names are looked up in `view`, then in `shared` (the
 * values every script shares, computed once per bundle), as if `{ ...shared, ...view }`; a
 * name found in neither fails the render.
 */
export type ShellTemplate<View extends object> = (view: View, shared?: ScriptView) => string

/**
 * Prepares a shell template for rendering: every `<% name %>` becomes one shell-quoted word
 * (triple mustaches are not used), partials are inlined, and the generated-file header goes
 * right after the shebang line. Parsing happens once, on the first render, so rendering
 * thousands of bundles does not parse (or hash) the template text again. `View` is the type
 * of the values this script adds to the shared ones ({@link ScriptView}).
 *
 * @example
 * const render = shellTemplate<{ name: string }>('scripts/hello.sh', '#!/bin/sh\necho <% name %>\n')
 * render({ name: 'world' }) // '#!/bin/sh\n# scripts/hello.sh: generated ...\necho world\n'
 */
export function shellTemplate<View extends object>(
  file: string,
  template: string,
  partials: Readonly<Record<string, string>> = {},
): ShellTemplate<View> {
  let compiled: Compiled | undefined
  return (view, shared) => {
    compiled ??= compile(file, template, partials)
    // Names are looked up in the view, then in the shared values; one no view defines fails the render.
    const scope: TemplateScope = { view, parent: shared === undefined ? undefined : { view: shared, parent: undefined } }
    const body = renderTemplateTokens(file, compiled.tokens, scope, escapeForShell)
    // The shebang and header lines end with a newline: with an empty body, so does the text.
    const text = `${compiled.shebang}\n${compiled.header}${body.text}`
    return body.last === '' || body.last.endsWith('\n') ? text : `${text}\n`
  }
}
