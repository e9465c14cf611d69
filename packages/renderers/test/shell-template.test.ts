import { describe, expect, it } from 'vitest'
import { shellTemplate } from '../src/scripts/_template.js'
import { renderScripts } from '../src/scripts/scripts.js'
import { EXAMPLES, exampleSpec } from './_bundle-support.js'

// The shell templates render values into scripts that run as root. Mustache prints a name it
// cannot find as nothing, so a misspelt name would have become an empty word in a script;
// the strict context refuses it, naming the file and the name.

describe('shell templates', () => {
  it('refuse a name that neither the view nor the shared values define', () => {
    const render = shellTemplate<{ container: string }>('scripts/t.sh', '#!/bin/sh\ndocker stop <% containerNmae %>\n')
    expect(() => render({ container: 'x' })).toThrow(
      'shell template for scripts/t.sh uses <% containerNmae %>, which its view does not define',
    )
  })

  it('look names up in the section, then the view, then the shared values', () => {
    const render = shellTemplate<{ items: { name: string }[]; suffix: string }>(
      'scripts/t.sh',
      '#!/bin/sh\n<%#items%>echo <% name %><% suffix %> <% service %>\n<%/items%>',
    )
    expect(render({ items: [{ name: 'a' }], suffix: '-1' }, { service: 'svc' } as never)).toContain('echo a-1 svc\n')
  })

  it('accept a name the view defines as undefined (a section that is off), and refuse one in a section', () => {
    const render = shellTemplate<{ optional: string | undefined }>(
      'scripts/t.sh',
      '#!/bin/sh\n<%#optional%>echo <% optional %>\n<%/optional%>',
    )
    expect(render({ optional: undefined })).not.toContain('echo')
    const nested = shellTemplate<{ on: { a: string } }>('scripts/t.sh', '#!/bin/sh\n<%#on%>echo <% a %> <% b %>\n<%/on%>')
    expect(() => nested({ on: { a: 'x' } })).toThrow('uses <% b %>')
  })

  it.each(EXAMPLES)('render every script of examples/%s without an undefined name', (example) => {
    expect(renderScripts(exampleSpec(example)).length).toBeGreaterThan(0)
  })
})
