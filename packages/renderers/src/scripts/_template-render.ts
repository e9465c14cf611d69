import type Mustache from 'mustache'

/** A view and the views it lies in: the section's item first, the script's own view, then the shared one. */
export interface TemplateScope {
  readonly view: unknown
  readonly parent: TemplateScope | undefined
}

/**
 * Renders the token tree of a shell template (see `_template-parse.ts`) in `scope`, with
 * mustache's rules for the forms the templates use: text as it is, `<% name %>` through
 * `quote` (nothing for `null` or `undefined`), an unescaped name as it is, sections over
 * arrays (once per item, the item as the innermost view), objects, strings and numbers (once,
 * that value innermost), other truthy values (once), and inverted sections for falsy values and
 * empty arrays; comments print nothing. Names are looked up innermost view first, dotted names
 * path by path, and a function found is called with the innermost view, as mustache does.
 * Unlike mustache, a name that no view defines fails the render: a misspelt name would
 * otherwise put an empty word into a root shell script without a sound.
 *
 * Why not mustache's writer: it is a general engine (a lookup cache per context, lambdas,
 * partials, configurable tags) whose lookups were most of the scripts' rendering time (issue
 * 15). test/shell-template-render.test.ts renders every script template and generated ones
 * with both and compares the results.
 */
export function renderTemplateTokens(
  file: string,
  tokens: Mustache.TemplateSpans,
  scope: TemplateScope,
  quote: (value: unknown) => string,
): TemplateOutput {
  const out: TemplateOutput = { text: '', last: '' }
  renderInto(out, file, tokens, scope, quote)
  return out
}

/**
 * A rendered text and the last non-empty piece appended to it: whether the text ends with a
 * newline is read from that piece, since reading the end of the text itself would make V8
 * copy the whole string it has built from pieces into one.
 */
export interface TemplateOutput {
  text: string
  last: string
}

function append(out: TemplateOutput, piece: string): void {
  if (piece === '') return
  out.text += piece
  out.last = piece
}

function renderInto(
  out: TemplateOutput,
  file: string,
  tokens: Mustache.TemplateSpans,
  scope: TemplateScope,
  quote: (value: unknown) => string,
): void {
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as unknown[]
    const type = token[0]
    if (type === 'text') append(out, token[1] as string)
    else if (type === 'name') {
      const value = lookup(file, scope, token[1] as string)
      if (value != null) append(out, quote(value))
    } else if (type === '&') {
      const value = lookup(file, scope, token[1] as string)
      // `'' + value` converts as mustache's `buffer += value` does.
      // biome-ignore lint/style/useTemplate: the same conversion as `+=`, which a template literal is not
      if (value != null) append(out, '' + (value as string))
    } else if (type === '#') renderSection(out, file, token, scope, quote)
    else if (type === '^') {
      const value = lookup(file, scope, token[1] as string)
      if (!value || (Array.isArray(value) && value.length === 0)) renderInto(out, file, token[4] as Mustache.TemplateSpans, scope, quote)
    }
  }
}

function renderSection(out: TemplateOutput, file: string, token: unknown[], scope: TemplateScope, quote: (value: unknown) => string): void {
  const value = lookup(file, scope, token[1] as string)
  if (!value) return
  const inner = token[4] as Mustache.TemplateSpans
  if (Array.isArray(value)) {
    for (let item = 0; item < value.length; item++) renderInto(out, file, inner, { view: value[item], parent: scope }, quote)
  } else if (typeof value === 'object' || typeof value === 'string' || typeof value === 'number') {
    renderInto(out, file, inner, { view: value, parent: scope }, quote)
  } else if (typeof value === 'function') {
    throw new Error(`shell template for ${file}: the section ${String(token[1])} is a function`)
  } else renderInto(out, file, inner, scope, quote)
}

/** The value of `name` in `scope`, as mustache finds it; fails when no view defines the name. */
function lookup(file: string, scope: TemplateScope, name: string): unknown {
  let value: unknown
  if (name === '.') value = scope.view
  else {
    const dotted = name.indexOf('.') > 0
    for (let current: TemplateScope | undefined = scope; current !== undefined; current = current.parent) {
      const view = current.view as Record<string, unknown>
      let found: unknown
      let hit = false
      if (dotted) {
        const names = name.split('.')
        found = view
        for (let at = 0; found != null && at < names.length; at++) {
          const key = names[at] as string
          if (at === names.length - 1) hit = hasProperty(found, key) || primitiveHasOwn(found, key)
          found = (found as Record<string, unknown>)[key]
        }
      } else {
        // Read first, as mustache does (a null view throws here, as it does there).
        found = view[name]
        // A value read from an object means it has the name (views are plain data), so `in`, a
        // second megamorphic look-up, is asked only when nothing was read: a name set to
        // undefined or a missing one. A primitive view (a section over a string) never hits.
        hit = found !== undefined ? typeof view === 'object' : hasProperty(view, name)
      }
      if (hit) {
        value = found
        break
      }
    }
  }
  if (typeof value === 'function') value = value.call(scope.view)
  if (value === undefined && name !== '.' && !defines(scope, name.split('.')[0] as string)) {
    throw new Error(`shell template for ${file} uses <% ${name} %>, which its view does not define`)
  }
  return value
}

function hasProperty(value: unknown, name: string): boolean {
  return value !== null && typeof value === 'object' && name in value
}

function primitiveHasOwn(value: unknown, name: string): boolean {
  return value != null && typeof value !== 'object' && Object.hasOwn(Object(value), name)
}

/** Whether a view of `scope` or of a scope it lies in has the key `name`. */
function defines(scope: TemplateScope | undefined, name: string): boolean {
  for (let current = scope; current !== undefined; current = current.parent) {
    const view: unknown = current.view
    if (view !== null && typeof view === 'object' && name in view) return true
  }
  return false
}
