import fc from 'fast-check'
import Mustache from 'mustache'
import { describe, expect, it, vi } from 'vitest'
import { parseShellTemplate } from '../src/scripts/_template-parse.js'
import { renderTemplateTokens, type TemplateScope } from '../src/scripts/_template-render.js'
import { shellQuote } from '../src/scripts/shell-quote.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'

// The shell templates are rendered by our own token renderer (_template-render.ts), which must
// print exactly what mustache's writer printed with the strict context the scripts used before:
// same texts, sections, inverted sections, dotted names and refusals. Compared on every script
// of every example (the views the renderers really build) and on generated templates and views.

const TAGS: [string, string] = ['<%', '%>']

function escapeForShell(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return shellQuote(value)
  throw new TypeError(`shell templates only interpolate strings, numbers and booleans, got ${typeof value}`)
}

/** The strict mustache context the scripts rendered with before: an unknown name fails. */
class StrictContext extends Mustache.Context {
  constructor(
    readonly file: string,
    view: unknown,
    parent?: Mustache.Context,
  ) {
    super(view, parent)
  }

  override push(view: unknown): Mustache.Context {
    return new StrictContext(this.file, view, this)
  }

  override lookup(name: string): unknown {
    const value: unknown = super.lookup(name)
    if (value === undefined && name !== '.') {
      const first = name.split('.')[0] as string
      let defined = false
      for (let context: Mustache.Context | undefined = this; context !== undefined; context = context.parent) {
        const view: unknown = context.view
        if (view !== null && typeof view === 'object' && first in view) defined = true
      }
      if (!defined) throw new Error(`shell template for ${this.file} uses <% ${name} %>, which its view does not define`)
    }
    return value
  }
}

/** Renders with mustache's writer, as the scripts did; 'refused: <message>' when it throws. */
function byMustache(file: string, body: string, view: unknown, shared?: unknown): string {
  try {
    const context = new StrictContext(file, view, shared === undefined ? undefined : new StrictContext(file, shared))
    const tokens = new Mustache.Writer().parse(body, TAGS)
    return new Mustache.Writer().renderTokens(tokens, context, undefined, body, { tags: TAGS, escape: escapeForShell })
  } catch (error) {
    return `refused: ${(error as Error).message}`
  }
}

/** Renders with our renderer; 'refused: <message>' when it throws. */
function byOurs(file: string, body: string, view: unknown, shared?: unknown): string {
  try {
    const scope: TemplateScope = { view, parent: shared === undefined ? undefined : { view: shared, parent: undefined } }
    return renderTemplateTokens(file, parseShellTemplate(file, body), scope, escapeForShell).text
  } catch (error) {
    return `refused: ${(error as Error).message}`
  }
}

// Records every template the renderers define and every view they render it with.
const rendered = vi.hoisted(() => [] as { file: string; body: string; view: unknown; shared: unknown }[])
vi.mock('../src/scripts/_template.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/scripts/_template.js')>()
  return {
    ...original,
    shellTemplate: (file: string, template: string, partials: Readonly<Record<string, string>> = {}) => {
      const render = original.shellTemplate(file, template, partials)
      const text = original.inlinePartials(file, template, partials)
      const body = text.slice(text.indexOf('\n') + 1)
      return (view: unknown, shared?: unknown) => {
        rendered.push({ file, body, view, shared })
        return render(view as object, shared as never)
      }
    },
  }
})

describe('the shell template renderer', () => {
  it('prints what mustache printed, for every script of every example', async () => {
    const { renderAll } = await import('../src/index.js')
    for (const example of EXAMPLES) renderAll(exampleSpec(example))
    expect(new Set(rendered.map((entry) => entry.file)).size).toBeGreaterThanOrEqual(8)
    for (const { file, body, view, shared } of rendered) {
      const ours = byOurs(file, body, view, shared)
      expect(ours, file).not.toMatch(/^refused/)
      expect(ours, file).toBe(byMustache(file, body, view, shared))
    }
  })

  const name = fc.constantFrom('a', 'b', 'c', 'a.b', 'b.c', 'a.length', '.', 'missing', 'list', 'flag')
  const text = fc.constantFrom('x', ' ', '\n', 'echo ', '"q" ', "'")
  const { template } = fc.letrec<{ template: string; section: string }>((tie) => ({
    template: fc
      .array(
        fc.oneof(
          { withCrossShrink: true },
          text,
          fc.tuple(fc.constantFrom('', '&'), name).map(([sigil, n]) => `<%${sigil} ${n} %>`),
          tie('section'),
        ),
        { maxLength: 7 },
      )
      .map((parts) => parts.join('')),
    section: fc.tuple(fc.constantFrom('#', '^'), name, tie('template')).map(([sigil, n, inner]) => `<%${sigil}${n}%>${inner}<%/${n}%>`),
  }))
  const leaf = fc.oneof(fc.constantFrom('w', 'two words', "it's", '', 0, 7, true, false, null, undefined), fc.string({ maxLength: 4 }))
  const { view } = fc.letrec<{ view: unknown; value: unknown }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('view'), { maxLength: 3 }), tie('view')),
    view: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'list', 'flag', 'length'), tie('value'), { maxKeys: 4 }),
  }))

  it('looks a plain name up past a section over a string or number, as mustache does', () => {
    // `length` is a property of the string 'word', but mustache reads names of a primitive view
    // from the views around it; our renderer reads a value first and asks `in` only for objects.
    const body = '<%#a%><% length %>,<%/a%>\n'
    for (const own of [{ a: 'word', length: 7 }, { a: ['x', 'yz'], length: 'n' }, { a: 'word' }, { a: { length: 2 }, length: 3 }]) {
      expect(byOurs('t.sh', body, own)).toBe(byMustache('t.sh', body, own))
    }
    expect(byOurs('t.sh', body, { a: 'word', length: 7 })).toBe('7,\n')
  })

  it('prints what mustache printed, for generated templates and views (property)', () => {
    fc.assert(
      fc.property(template, view, fc.option(view, { nil: undefined }), (body, own, shared) => {
        const ours = byOurs('t.sh', body, own, shared)
        expect(ours).toBe(byMustache('t.sh', body, own, shared))
        if (!ours.startsWith('refused')) {
          // The last piece tells how the text ends (shellTemplate adds a final newline by it).
          const scope: TemplateScope = { view: own, parent: shared === undefined ? undefined : { view: shared, parent: undefined } }
          const { last } = renderTemplateTokens('t.sh', parseShellTemplate('t.sh', body), scope, escapeForShell)
          expect(last.slice(-1)).toBe(ours.slice(-1))
        }
      }),
      { numRuns: 3000 },
    )
  })
})
