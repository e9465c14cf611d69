import { checkPrintable, isBareRegex, isBareWord, isPlainDirectiveName, isPrintableComment, isVariableName } from './_print-checks.js'
import { NGINX_PLACEHOLDER, isNginxComment, type NginxArg, type NginxDirective, type NginxNode, type NginxPart } from './model.js'

/** Options of {@link printNginx}. */
export interface PrintNginxOptions {
  /** Comment block at the top of the file, without `#`; one line per entry. */
  readonly header?: readonly string[]
}

const INDENT = '    '

/** Text that starts with a character of a variable name (it would join a `$name` printed before it). */
const NAME_CHARACTER_FIRST = /^[A-Za-z0-9_]/

/**
 * The one nginx printer of messenger-stack. Prints a block tree with 4-space indent, LF line
 * endings and a final newline, and is the single place where arguments are made safe:
 *
 * - literal text is printed bare when it is one plain word, else double-quoted with `\` and
 *   `"` escaped, so `;`, `{`, `}`, `#`, quotes and spaces can never end the directive;
 * - control characters (newline, NUL, ...), non-ASCII text and `$` in literal text are
 *   refused with an Error: nginx has no escape for `$`, so only explicit variables print it;
 * - variables, gateway placeholders and regexes are explicit argument kinds, checked here.
 *
 * A blank line separates a block or comment from the sibling before it.
 *
 * @example
 * printNginx([directive('server_tokens', ['off'])]) // 'server_tokens off;\n'
 * @see https://nginx.org/en/docs/beginners_guide.html#conf_structure
 */
export function printNginx(nodes: readonly NginxNode[], options: PrintNginxOptions = {}): string {
  // One string grown line by line (V8 keeps it as a rope until it is read) rather than an
  // array of lines joined at the end: the file is built in one pass, without a second copy.
  let out = ''
  for (const line of options.header ?? []) out += `${commentLine(line)}\n`
  if (out !== '' && nodes.length > 0) out += '\n'
  out = printNodes(nodes, '', out, new Map())
  return out === '' ? '\n' : out
}

/**
 * Appends `nodes` at indent `pad` to `out`, each line ending in LF, and returns the result.
 * `printed` holds the text of each simple directive already printed in this file, by node: a
 * renderer shares the nodes its locations repeat (proxy headers, response headers), and each
 * is checked and printed once.
 */
function printNodes(nodes: readonly NginxNode[], pad: string, out: string, printed: Map<NginxDirective, string>): string {
  // A blank line goes before a comment or block that follows something other than a comment.
  let afterComment = true
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index] as NginxNode
    if (!isNginxDirective(node)) {
      if (isNginxComment(node)) {
        if (!afterComment) out += '\n'
        out += `${pad}${commentLine(node.comment)}\n`
        afterComment = true
        continue
      }
      afterComment = false
      if (node.entry.length === 0) throw new Error('nginx table row has no words.')
      out += `${pad}${printArgs(node.entry)};\n`
      continue
    }
    const separate = !afterComment
    afterComment = false
    const children = node.children
    if (children === undefined) {
      let text = printed.get(node)
      if (text === undefined) {
        text = `${directiveLine(node)};\n`
        printed.set(node, text)
      }
      out += pad + text
      continue
    }
    if (separate) out += '\n'
    // Appended rather than written as `${out}...`: a template that starts with the file's rope
    // cost V8 more than adding the short line to it (measured on building a rope alone).
    out += `${pad}${directiveLine(node)} {\n`
    out = printNodes(children, pad + INDENT, out, printed)
    out += `${pad}}\n`
  }
  return out
}

/** Whether a node is a directive or block: the most common kind, so the printer asks this first. */
function isNginxDirective(node: NginxNode): node is NginxDirective {
  return (node as Partial<NginxDirective>).name !== undefined
}

/** A directive's name and printed arguments, separated by single spaces. */
function directiveLine(node: NginxDirective): string {
  if (!isPlainDirectiveName(node.name)) {
    throw new Error(`nginx directive name ${JSON.stringify(node.name)} is not a plain lowercase word.`)
  }
  let line = node.name
  const args = node.args
  for (let arg = 0; arg < args.length; arg++) line += ` ${printArg(args[arg] as NginxArg)}`
  return line
}

/** The printed arguments separated by single spaces, after `name` when given. */
function printArgs(args: readonly NginxArg[], name?: string): string {
  let out = name ?? ''
  for (let index = 0; index < args.length; index++) {
    const word = printArg(args[index] as NginxArg)
    out = index === 0 && name === undefined ? word : `${out} ${word}`
  }
  return out
}

/** A comment's line after its indentation: `# text`, or `#` alone for an empty text. Throws for text nginx cannot hold. */
function commentLine(text: string): string {
  if (!isPrintableComment(text)) checkPrintable(text, 'comment')
  return text === '' ? '#' : `# ${text}`
}

/** Prints one argument as exactly one nginx word. Throws on anything it cannot make safe. */
export function printArg(arg: NginxArg): string {
  if (typeof arg === 'number') {
    if (!Number.isSafeInteger(arg) || arg < 0) throw new Error(`nginx numeric argument ${arg} is not a non-negative integer.`)
    return String(arg)
  }
  if (typeof arg === 'string') {
    // Fast path: a bare word is printable, has no `$` and is not empty, so it prints as is.
    if (isBareWord(arg)) return arg
    return printParts([{ kind: 'text', value: arg }])
  }
  if (arg.kind === 'regex') return printRegex(arg.pattern)
  if (arg.parts.length === 0) throw new Error('nginx expression has no parts.')
  return printParts(arg.parts)
}

function printRegex(pattern: string): string {
  if (pattern === '') throw new Error('nginx regex is empty.')
  if (isBareRegex(pattern)) return pattern
  checkPrintable(pattern, 'regex')
  return `"${escapeQuoted(pattern)}"`
}

function printParts(parts: readonly NginxPart[]): string {
  // Literal text first: refused when unprintable or holding `$`; quoted unless every piece is bare.
  let bare = true
  let allEmptyText = true
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as NginxPart
    if (part.kind !== 'text') {
      allEmptyText = false
      continue
    }
    const text = part.value
    // A bare word is printable, holds no `$` and is not empty: one test answers the three
    // checks below for most parts (container names, ports, `http://`).
    if (isBareWord(text)) {
      allEmptyText = false
      continue
    }
    bare = false
    checkPrintable(text, 'argument')
    if (text.includes('$')) {
      throw new Error(
        `nginx argument ${JSON.stringify(text)} contains "$", which nginx would read as a variable; model variables explicitly.`,
      )
    }
    if (text !== '') allEmptyText = false
  }
  const quoted = !bare || allEmptyText
  let out = ''
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] as NginxPart
    if (part.kind === 'text') {
      out += quoted ? escapeQuoted(part.value) : part.value
    } else if (part.kind === 'placeholder') {
      if (!NGINX_PLACEHOLDER.test(part.token)) throw new Error(`nginx placeholder ${JSON.stringify(part.token)} must look like "\${NAME}".`)
      out += part.token
    } else {
      if (!isVariableName(part.name)) throw new Error(`nginx variable name ${JSON.stringify(part.name)} is not a plain word.`)
      // `$host` followed by a name character would read as another variable: use `${host}`.
      const next = parts[index + 1]
      const glued = next?.kind === 'text' && NAME_CHARACTER_FIRST.test(next.value)
      out += glued ? `\${${part.name}}` : `$${part.name}`
    }
  }
  return quoted ? `"${out}"` : out
}

/** Text for inside double quotes: `\` and `"` escaped (most text has neither, and is returned as it is). */
function escapeQuoted(text: string): string {
  return text.includes('\\') || text.includes('"') ? text.replace(/[\\"]/g, (ch) => `\\${ch}`) : text
}
