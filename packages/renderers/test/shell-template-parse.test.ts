import fc from 'fast-check'
import Mustache from 'mustache'
import { describe, expect, it, vi } from 'vitest'
import { parseShellTemplate } from '../src/scripts/_template-parse.js'

// The shell templates are parsed by our own parser (_template-parse.ts), which must build
// exactly the token tree mustache's parser builds: same texts, standalone lines removed the
// same way, same positions. Compared on every template the renderers define and on generated
// templates full of the white-space cases the standalone rule turns on.

const TAGS: [string, string] = ['<%', '%>']
const mustacheParse = (body: string): unknown => new Mustache.Writer().parse(body, TAGS)

// Records every template the renderers define, as the modules define them.
const defined = vi.hoisted(() => new Map<string, { template: string; partials: Readonly<Record<string, string>> }>())
vi.mock('../src/scripts/_template.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/scripts/_template.js')>()
  return {
    ...original,
    shellTemplate: (file: string, template: string, partials: Readonly<Record<string, string>> = {}) => {
      defined.set(file, { template, partials })
      return original.shellTemplate(file, template, partials)
    },
  }
})

describe('the shell template parser', () => {
  it('builds the tokens mustache builds, for every template of the renderers', async () => {
    await import('../src/index.js')
    const { inlinePartials } = await import('../src/scripts/_template.js')
    expect(defined.size).toBeGreaterThanOrEqual(8)
    for (const [file, { template, partials }] of defined) {
      const text = inlinePartials(file, template, partials)
      const body = text.slice(text.indexOf('\n') + 1)
      expect(parseShellTemplate(file, body), file).toEqual(mustacheParse(body))
    }
  })

  const space = fc.constantFrom('', ' ', '  ', '\t', ' \t ')
  const text = fc.array(fc.constantFrom('a', 'b c', ' ', '\t', '\n', '\r\n', '%', '>', '#', '\u00a0', ''), { maxLength: 6 })
  const name = fc.constantFrom('a', 'b.c', 'x_1', '.')
  const value = fc
    .tuple(fc.constantFrom('', '&', '!'), space, name, space)
    .map(([sigil, before, n, after]) => `<%${sigil}${before}${n}${after}%>`)
  const { template } = fc.letrec<{ template: string; section: string }>((tie) => ({
    template: fc
      .array(
        fc.oneof(
          { withCrossShrink: true },
          text.map((t) => t.join('')),
          value,
          tie('section'),
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join('')),
    section: fc
      .tuple(fc.constantFrom('#', '^'), name, space, tie('template'), space)
      .map(([sigil, n, pad, inner, pad2]) => `<%${sigil}${pad}${n}%>${inner}<%/${n}${pad2}%>`),
  }))

  it('builds the tokens mustache builds, for generated templates', () => {
    fc.assert(
      fc.property(template, (body) => {
        expect(parseShellTemplate('t.sh', body)).toEqual(mustacheParse(body))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses what the templates do not use, and broken sections, naming the file', () => {
    expect(() => parseShellTemplate('scripts/t.sh', 'a <%> p %>')).toThrow('shell template for scripts/t.sh: the tag <%> is not supported')
    expect(() => parseShellTemplate('scripts/t.sh', '<%{ a }%>')).toThrow('not supported')
    expect(() => parseShellTemplate('scripts/t.sh', '<%= [[ ]] =%>')).toThrow('not supported')
    expect(() => parseShellTemplate('scripts/t.sh', 'echo <% a ')).toThrow('is not closed')
    expect(() => parseShellTemplate('scripts/t.sh', '<%#a%>x')).toThrow('the section a is not closed')
    expect(() => parseShellTemplate('scripts/t.sh', '<%#a%>x<%/b%>')).toThrow('the section a is closed by b')
    expect(() => parseShellTemplate('scripts/t.sh', 'x<%/b%>')).toThrow('the section b at 1 was never opened')
  })
})
