// A small reader of nginx configuration text for tests, following the tokenizer rules of
// nginx itself (src/core/ngx_conf_file.c, read as a specification): words end at whitespace,
// `;`, `{` or `}`; `#` at the start of a word starts a comment; quoted words keep `;{}#` and
// spaces; a backslash protects the next character and `\" \' \\ \t \r \n` are unescaped;
// `{` directly after `$` belongs to the word (`${var}`), while `}` and quotes inside a word
// are plain characters. It is stricter than nginx where
// nginx would fail anyway (unbalanced braces or quotes, text after a closing quote).

/** A directive as nginx reads it. */
export interface ParsedDirective {
  readonly name: string
  readonly args: readonly string[]
  readonly children?: readonly ParsedDirective[]
}

interface Frame {
  readonly nodes: ParsedDirective[]
  readonly words: string[]
  readonly open?: { readonly words: string[]; readonly parent: Frame }
}

const UNESCAPE: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', t: '\t', r: '\r', n: '\n' }

/** Parses nginx configuration text into directives; throws on what nginx would reject. */
export function parseNginx(text: string): ParsedDirective[] {
  const top: Frame = { nodes: [], words: [] }
  let frame = top
  let i = 0
  const flush = (kind: ';' | '{' | '}') => {
    if (kind === '}') {
      if (frame.words.length > 0) throw new Error(`unexpected "}" after ${JSON.stringify(frame.words)}`)
      if (frame.open === undefined) throw new Error('unexpected "}"')
      const [name, ...args] = frame.open.words
      frame.open.parent.nodes.push({ name: name ?? '', args, children: frame.nodes })
      frame = frame.open.parent
      return
    }
    const words = frame.words.splice(0)
    if (words.length === 0) throw new Error(`unexpected "${kind}"`)
    if (kind === '{') frame = { nodes: [], words: [], open: { words, parent: frame } }
    else frame.nodes.push({ name: words[0]!, args: words.slice(1) })
  }
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (ch === ';' || ch === '{' || ch === '}') {
      flush(ch)
      i++
    } else if (ch === '"' || ch === "'") {
      let word = ''
      i++
      while (text[i] !== ch) {
        if (i >= text.length) throw new Error('unbalanced quote')
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!
          word += UNESCAPE[next] ?? `\\${next}`
          i += 2
        } else word += text[i++]
      }
      i++
      if (i < text.length && !/[\s;{)]/.test(text[i]!)) throw new Error(`unexpected "${text[i]}" after a quoted word`)
      frame.words.push(word)
    } else {
      let word = ''
      let afterDollar = false
      while (i < text.length) {
        const c = text[i]!
        if (c === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!
          word += UNESCAPE[next] ?? `\\${next}`
          i += 2
          afterDollar = false
          continue
        }
        // `{` right after `$` continues the word (`${var}`); `}` and quotes inside a word are plain.
        if (/[\s;]/.test(c) || (c === '{' && !afterDollar)) break
        afterDollar = c === '$'
        word += c
        i++
      }
      frame.words.push(word)
    }
  }
  if (frame !== top || top.words.length > 0) throw new Error('unexpected end of file')
  return top.nodes
}

/** Every directive of a tree, depth first, with its block path (`server > location`). */
export function flattenNginx(
  nodes: readonly ParsedDirective[],
  path: readonly string[] = [],
): { path: string[]; directive: ParsedDirective }[] {
  return nodes.flatMap((node) => [
    { path: [...path], directive: node },
    ...flattenNginx(node.children ?? [], [...path, `${node.name} ${node.args.join(' ')}`.trim()]),
  ])
}
