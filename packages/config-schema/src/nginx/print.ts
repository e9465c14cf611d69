import {
  NGINX_DIRECTIVE_NAME,
  NGINX_PLACEHOLDER,
  NGINX_VARIABLE_NAME,
  isNginxComment,
  type NginxArg,
  type NginxDirective,
  type NginxNode,
  type NginxPart,
} from './model.js'

/** Options of {@link printNginx}. */
export interface PrintNginxOptions {
  /** Comment block at the top of the file, without `#`; one line per entry. */
  readonly header?: readonly string[]
}

const INDENT = '    '

/** Text nginx reads as one bare word: no whitespace, quotes, `;`, `{`, `}`, `#`, `$` or `\`. */
const BARE_TEXT = /^[A-Za-z0-9._~:/@%+=,!*?&^|()[\]<>-]+$/

/**
 * A regex nginx reads as one bare word: the characters of {@link BARE_TEXT} and `$`, and `\`
 * followed by a printable character nginx does not unescape (not `"`, `'`, `\`, `t`, `r`, `n`
 * or a space). Written as runs of plain characters between escapes (rather than one alternation
 * per character), which V8 matches several times faster on the long patterns of the worker
 * routes; and printable ASCII by construction, so a bare regex needs no check of its own.
 * `test/nginx-printer-paths.test.ts` holds the alternation form the printer used before and
 * checks that both print the same. The empty pattern is refused before.
 */
const BARE_REGEX = /^[A-Za-z0-9._~:/@%+=,!*?&^|()[\]<>$-]*(?:\\[!#-&(-[\]-mo-qsu-~][A-Za-z0-9._~:/@%+=,!*?&^|()[\]<>$-]*)*$/

/** Text that starts with a character of a variable name (it would join a `$name` printed before it). */
const NAME_CHARACTER_FIRST = /^[A-Za-z0-9_]/

/** Printable ASCII only: no control characters (newline, NUL, tab...) and no non-ASCII. */
const PRINTABLE = /^[\x20-\x7e]*$/

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

/**
 * Directive names already seen to be plain words, at most {@link MAX_PLAIN_NAMES}. The names come
 * from the renderers' code (a few dozen, the same in every file), so a set look-up answers for
 * the name check, which a file runs once per directive it prints (measured: ~6% of printing the
 * workers site). A memo of a pure check on the name alone: it holds nothing a file printed, and a
 * name the check refuses is never added, so every refusal still throws.
 */
const PLAIN_NAMES = new Set<string>()
const MAX_PLAIN_NAMES = 256

/** Whether `name` is a plain directive name (`NGINX_DIRECTIVE_NAME`), through {@link PLAIN_NAMES}. */
function isPlainDirectiveName(name: string): boolean {
  if (PLAIN_NAMES.has(name)) return true
  if (!NGINX_DIRECTIVE_NAME.test(name)) return false
  if (PLAIN_NAMES.size < MAX_PLAIN_NAMES) PLAIN_NAMES.add(name)
  return true
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

/**
 * Comments already seen to be printable, at most {@link MAX_PRINTABLE_COMMENTS} of at most
 * {@link MAX_REMEMBERED_COMMENT} characters. Most comments are texts of the code (route
 * descriptions, and the pool and zone comments made once per process), the same string objects
 * in every render: checking one is a pass of {@link PRINTABLE} over ~80 characters, a look-up
 * reads the hash the string keeps (measured: the router and gateway include of the
 * workers-microservice example 51.6 -> 49.0 us). A memo of a pure check on an immutable string,
 * like {@link PLAIN_NAMES}: it holds nothing a file printed but the comment, and a refused
 * comment is never added, so every refusal still throws.
 */
const PRINTABLE_COMMENTS = new Set<string>()
const MAX_PRINTABLE_COMMENTS = 256
const MAX_REMEMBERED_COMMENT = 512

function commentLine(text: string): string {
  if (!PRINTABLE_COMMENTS.has(text)) {
    checkPrintable(text, 'comment')
    if (PRINTABLE_COMMENTS.size < MAX_PRINTABLE_COMMENTS && text.length <= MAX_REMEMBERED_COMMENT) PRINTABLE_COMMENTS.add(text)
  }
  return text === '' ? '#' : `# ${text}`
}

function checkPrintable(text: string, what: string): void {
  if (!PRINTABLE.test(text)) {
    throw new Error(`nginx ${what} ${JSON.stringify(text)} contains a control or non-ASCII character; refusing to print it.`)
  }
}

/**
 * String arguments and text parts already seen to be bare words, at most {@link MAX_BARE_WORDS} of at most
 * {@link MAX_REMEMBERED_WORD} characters. Most are the code's own words (`~`, `^~`, `always`,
 * `off`, header names), the same string objects in every file, whose hash the string keeps: a
 * look-up costs less than a call of {@link BARE_TEXT} (measured: the router and gateway include
 * of workers-microservice 47.2 -> 46.1 us, the workers site 52.6 -> 50.7 us). A memo of a pure
 * check on an immutable string, like {@link PLAIN_NAMES}: a word that must be quoted or is refused
 * never enters it, so it is checked (and refused) every time.
 */
const BARE_WORDS = new Set<string>()
const MAX_BARE_WORDS = 1024
const MAX_REMEMBERED_WORD = 64

/** Whether `text` is one bare word ({@link BARE_TEXT}), through {@link BARE_WORDS}; string arguments and text parts alike. */
function isBareWord(text: string): boolean {
  if (BARE_WORDS.has(text)) return true
  if (!BARE_TEXT.test(text)) return false
  if (BARE_WORDS.size < MAX_BARE_WORDS && text.length <= MAX_REMEMBERED_WORD) BARE_WORDS.add(text)
  return true
}

/**
 * Variable names already seen to be plain words, at most {@link MAX_VARIABLE_NAMES}: the code's
 * own (`host`, `remote_addr`) and the few a file names after the service (`<name>_synapse_token`).
 * A memo of a pure check, like {@link PLAIN_NAMES}: a refused name never enters it.
 */
const VARIABLE_NAMES = new Set<string>()
const MAX_VARIABLE_NAMES = 256

/** Whether `name` is a plain variable name (`NGINX_VARIABLE_NAME`), through {@link VARIABLE_NAMES}. */
function isVariableName(name: string): boolean {
  if (VARIABLE_NAMES.has(name)) return true
  if (!NGINX_VARIABLE_NAME.test(name)) return false
  if (VARIABLE_NAMES.size < MAX_VARIABLE_NAMES && name.length <= MAX_REMEMBERED_WORD) VARIABLE_NAMES.add(name)
  return true
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

/**
 * Regex patterns already seen to print bare, at most {@link MAX_BARE_PATTERNS}. The worker routes'
 * patterns are fixed by the code and joined once per process (`workers/routable.ts`), up to ~2.6 KB
 * each, and every router or site prints the same string objects again: checking one is a pass of
 * {@link BARE_REGEX} and a search for `${` over all of it (~12% of rendering the router), a look-up
 * here a hash the string keeps. A memo of a pure check on an immutable string, like
 * {@link PLAIN_NAMES}: it holds nothing a file printed but the pattern, and a pattern that is
 * quoted or refused is never added, so it is checked again every time.
 */
const BARE_PATTERNS = new Set<string>()
const MAX_BARE_PATTERNS = 256
/** Longer patterns are checked every time: the memo keeps at most ~2 MB. */
const MAX_REMEMBERED_PATTERN = 8192

function printRegex(pattern: string): string {
  if (BARE_PATTERNS.has(pattern)) return pattern
  if (pattern === '') throw new Error('nginx regex is empty.')
  if (BARE_REGEX.test(pattern) && !pattern.includes('${')) {
    if (BARE_PATTERNS.size < MAX_BARE_PATTERNS && pattern.length <= MAX_REMEMBERED_PATTERN) BARE_PATTERNS.add(pattern)
    return pattern
  }
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
