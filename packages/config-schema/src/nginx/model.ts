/**
 * A small typed model of an nginx configuration: a tree of directives, blocks and comments.
 * Renderers build this tree; the one nginx printer (`printNginx` in `print.ts` beside this
 * file) turns it into text and is the single place where arguments are quoted or refused.
 *
 * Plain strings are always literal text: they can never introduce an nginx variable (`$`),
 * end a directive (`;`), or open/close a block. Variables, gateway placeholders and
 * regular expressions are separate, explicit kinds, so only code can create them.
 *
 * @see https://nginx.org/en/docs/beginners_guide.html#conf_structure
 */

/** Part of an {@link NginxExpression}: literal text, an nginx variable, or a gateway placeholder. */
export type NginxPart =
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'placeholder'; readonly token: string }

/** One argument made of literal text, variables and placeholders, such as `https://$host$request_uri`. */
export interface NginxExpression {
  readonly kind: 'expression'
  readonly parts: readonly NginxPart[]
}

/** A regular expression argument, such as the one of `location ~ ^/_matrix`. */
export interface NginxRegex {
  readonly kind: 'regex'
  readonly pattern: string
}

/** A directive argument. A plain string or number is literal text. */
export type NginxArg = string | number | NginxExpression | NginxRegex

/** A simple directive (`name args;`) or, with `children`, a block (`name args { ... }`). */
export interface NginxDirective {
  readonly name: string
  readonly args: readonly NginxArg[]
  readonly children?: readonly NginxNode[]
}

/** A comment line. */
export interface NginxComment {
  readonly comment: string
}

/**
 * A table row inside a block such as `map` or `types` (`"" close;`): its first word is a
 * value, not a directive name, so every word is printed as an argument.
 */
export interface NginxEntry {
  readonly entry: readonly NginxArg[]
}

/** A node of the configuration tree. */
export type NginxNode = NginxDirective | NginxComment | NginxEntry

/** Directive names: lowercase letters, digits and `_`, starting with a letter or `_`. */
export const NGINX_DIRECTIVE_NAME = /^[a-z_][a-z0-9_]*$/

/** Variable names: letters, digits and `_` (`host`, `http_upgrade`, `1`). */
export const NGINX_VARIABLE_NAME = /^[A-Za-z0-9_]+$/

/** Gateway placeholders such as `${ACTIVE_COLOR}`, substituted before nginx reads the file. */
export const NGINX_PLACEHOLDER = /^\$\{[A-Z][A-Z0-9_]*\}$/

/** Whether a node is a comment. */
export function isNginxComment(node: NginxNode): node is NginxComment {
  return 'comment' in node
}

/** Whether a node is a table row. */
export function isNginxEntry(node: NginxNode): node is NginxEntry {
  return 'entry' in node
}

/**
 * A directive; pass `children` to make it a block.
 *
 * @example
 * directive('proxy_http_version', ['1.1'])
 * directive('location', ['/'], [directive('return', [404])])
 */
export function directive(name: string, args: readonly NginxArg[] = [], children?: readonly NginxNode[]): NginxDirective {
  return children === undefined ? { name, args } : { name, args, children }
}

/** A table row of a `map`-like block, such as `entry('', 'close')`. */
export function entry(...args: readonly NginxArg[]): NginxEntry {
  return { entry: args }
}

/** A comment line. */
export function comment(text: string): NginxComment {
  return { comment: text }
}

/** An nginx variable reference, printed as `$name`. */
export function variable(name: string): NginxPart {
  return { kind: 'variable', name }
}

/** A gateway placeholder such as `${ACTIVE_COLOR}`, printed literally. */
export function placeholder(token: string): NginxPart {
  return { kind: 'placeholder', token }
}

/**
 * One argument joined from parts; strings are literal text.
 *
 * @example
 * expression('https://', variable('host'), variable('request_uri'))
 */
export function expression(...parts: readonly (string | NginxPart)[]): NginxExpression {
  return { kind: 'expression', parts: parts.map((part) => (typeof part === 'string' ? { kind: 'text', value: part } : part)) }
}

/** A regular expression argument (for `location ~`). */
export function regex(pattern: string): NginxRegex {
  return { kind: 'regex', pattern }
}
