import type Mustache from 'mustache'

/**
 * The token tree of a shell template, exactly as mustache's own parser builds it with the
 * `<% %>` tags (same tokens, texts, positions and standalone-line rules), for the forms the
 * shell templates use: text, `<% name %>`, unescaped names (an ampersand after the opening tag),
 * sections `<%# %>`/`<%^ %>` closed by `<%/ %>`, and comments `<%! %>`. Partials are inlined
 * before parsing (see `_template.ts`).
 *
 * Why not mustache's parser: it walks the text one character at a time, making a token per
 * character and then joining them again. On the first render of a bundle that was ~40% of a
 * cold CLI render's rendering time (issue 15); this parser takes each text run whole.
 * test/shell-template-parse.test.ts compares the two on every template and on generated ones.
 */
export function parseShellTemplate(file: string, template: string): Mustache.TemplateSpans {
  const fail = (message: string): never => {
    throw new Error(`shell template for ${file}: ${message}`)
  }
  // Flat tokens first (texts split at line ends), as mustache's parser holds them.
  const flat: (Piece | TagToken)[] = []
  let lineTexts: number[] = [] // indexes in `flat` of the text pieces on the current line
  let hasTag = false // a tag is on the current line
  let nonSpace = false // the current line has a non-space character or a value tag
  // A line holding only tags that print nothing (sections, comments) and white space
  // disappears whole: mustache's "standalone" rule, so section lines leave no blank lines.
  const endLine = (): void => {
    if (hasTag && !nonSpace) for (const index of lineTexts) flat[index] = undefined
    lineTexts = []
    hasTag = false
    nonSpace = false
  }
  const addText = (start: number, end: number): void => {
    for (let from = start; from < end; ) {
      const newline = template.indexOf('\n', from)
      const to = newline < 0 || newline >= end ? end : newline + 1
      const value = template.slice(from, to)
      lineTexts.push(flat.length)
      flat.push({ start: from, end: to, value })
      if (NON_SPACE.test(value)) nonSpace = true
      if (to === newline + 1) endLine()
      from = to
    }
  }

  const open: TagToken[] = []
  let pos = 0
  while (pos < template.length) {
    const tag = template.indexOf('<%', pos)
    if (tag < 0) {
      addText(pos, template.length)
      break
    }
    addText(pos, tag)
    hasTag = true
    let at = skipSpace(template, tag + 2)
    const sigil = template[at]
    let type: TagToken[0] = 'name'
    if (sigil === '#' || sigil === '^' || sigil === '/' || sigil === '&' || sigil === '!') {
      type = sigil
      at = skipSpace(template, at + 1)
    } else if (sigil === '>' || sigil === '{' || sigil === '=') {
      fail(`the tag <%${sigil} is not supported (partials are inlined; delimiters and triple mustaches are not used)`)
    }
    const close = template.indexOf('%>', at)
    if (close < 0) fail(`a tag at ${tag} is not closed`)
    let valueEnd = close
    while (valueEnd > at && isSpace(template[valueEnd - 1]!)) valueEnd--
    const value = template.slice(at, valueEnd)
    if (value.includes('\n')) fail(`the tag at ${tag} spans lines`)
    const token: TagToken = [type, value, tag, close + 2]
    flat.push(token)
    if (type === '#' || type === '^') open.push(token)
    else if (type === '/') {
      const section = open.pop()
      if (section === undefined) fail(`the section ${value} at ${tag} was never opened`)
      else if (section[1] !== value) fail(`the section ${section[1]} is closed by ${value} at ${tag}`)
    } else if (type === 'name' || type === '&') nonSpace = true
    pos = close + 2
  }
  endLine()
  if (open.length > 0) fail(`the section ${open[open.length - 1]![1]} is not closed`)
  return nest(squash(template, flat))
}

/** A piece of text within one line; undefined once the standalone rule removed it. */
type Piece = { readonly start: number; readonly end: number; readonly value: string } | undefined

/** A tag as mustache's parser records it: type, name, start and end in the template. */
type TagToken = [type: 'name' | '&' | '#' | '^' | '/' | '!', value: string, start: number, end: number]

const NON_SPACE = /\S/

/** White space as mustache's parser sees it (`\s`). */
function isSpace(char: string): boolean {
  return !NON_SPACE.test(char)
}

function skipSpace(text: string, from: number): number {
  let at = from
  while (at < text.length && isSpace(text[at]!)) at++
  return at
}

/** Joins consecutive text pieces into one text token, as mustache does. */
function squash(template: string, flat: readonly (Piece | TagToken)[]): unknown[][] {
  const tokens: unknown[][] = []
  let text: { start: number; end: number; value: string } | undefined
  const flush = (): void => {
    if (text === undefined) return
    tokens.push(['text', text.value, text.start, text.end])
    text = undefined
  }
  for (const item of flat) {
    if (item === undefined) continue
    if (Array.isArray(item)) {
      flush()
      tokens.push(item)
    } else if (text === undefined) text = { ...item }
    else {
      // Kept pieces of one run are contiguous; slicing keeps the text one flat string.
      text.value = item.start === text.end ? template.slice(text.start, item.end) : text.value + item.value
      text.end = item.end
    }
  }
  flush()
  return tokens
}

/** Puts each section's tokens into it (index 4) with where its closing tag starts (index 5). */
function nest(tokens: readonly unknown[][]): Mustache.TemplateSpans {
  const root: unknown[][] = []
  const sections: unknown[][] = []
  let collector = root
  for (const token of tokens) {
    if (token[0] === '#' || token[0] === '^') {
      collector.push(token)
      sections.push(token)
      collector = []
      token[4] = collector
    } else if (token[0] === '/') {
      const section = sections.pop()!
      section[5] = token[2]
      collector = sections.length > 0 ? (sections[sections.length - 1]![4] as unknown[][]) : root
    } else collector.push(token)
  }
  return root as Mustache.TemplateSpans
}
