// The nginx printer's checks of single strings (names, bare words, comments, bare regexes), each
// remembered for the process: a renderer prints the same strings of its code in every file.
import { NGINX_DIRECTIVE_NAME, NGINX_VARIABLE_NAME } from './model.js'

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

/** Printable ASCII only: no control characters (newline, NUL, tab...) and no non-ASCII. */
const PRINTABLE = /^[\x20-\x7e]*$/

/*
 * Each check below remembers the strings it passed, at most a limit of them, each at most a length;
 * once full, the check runs every time. Most strings the printer checks are its renderers' own
 * (directive and variable names, `always`, header names, route descriptions, the worker routes'
 * patterns of up to 2.6 KB), the same string objects in every file, and a look-up reads the hash
 * such a string keeps where the check reads every character (measured, for the workers examples'
 * router and site: names ~6% of printing, the bare-regex check ~12% of the router, comments
 * 51.6 -> 49.0 us, bare words ~1 us). Each is a memo of a pure check on an immutable string: it
 * holds nothing a file printed but the string, and a string the check refuses never enters it,
 * so every refusal is made again. Written out once per check rather than through one generic
 * function: a shared function calls its regex polymorphically (measured 1-3% slower on the workers
 * examples' whole render).
 */

const DIRECTIVE_NAMES = new Set<string>()
const VARIABLE_NAMES = new Set<string>()
const BARE_WORDS = new Set<string>()
const COMMENTS = new Set<string>()
const BARE_PATTERNS = new Set<string>()

/** Whether `name` is a plain directive name (`NGINX_DIRECTIVE_NAME`); the renderers' code names a few dozen. */
export function isPlainDirectiveName(name: string): boolean {
  if (DIRECTIVE_NAMES.has(name)) return true
  if (!NGINX_DIRECTIVE_NAME.test(name)) return false
  if (DIRECTIVE_NAMES.size < 256) DIRECTIVE_NAMES.add(name)
  return true
}

/** Whether `name` is a plain variable name (`NGINX_VARIABLE_NAME`): the code's own and a few named after the service. */
export function isVariableName(name: string): boolean {
  if (VARIABLE_NAMES.has(name)) return true
  if (!NGINX_VARIABLE_NAME.test(name)) return false
  if (VARIABLE_NAMES.size < 256 && name.length <= 64) VARIABLE_NAMES.add(name)
  return true
}

/** Whether `text` is one bare word ({@link BARE_TEXT}); string arguments and text parts alike. */
export function isBareWord(text: string): boolean {
  if (BARE_WORDS.has(text)) return true
  if (!BARE_TEXT.test(text)) return false
  if (BARE_WORDS.size < 1024 && text.length <= 64) BARE_WORDS.add(text)
  return true
}

/** Whether a comment's text is printable ASCII ({@link PRINTABLE}). */
export function isPrintableComment(text: string): boolean {
  if (COMMENTS.has(text)) return true
  if (!PRINTABLE.test(text)) return false
  if (COMMENTS.size < 256 && text.length <= 512) COMMENTS.add(text)
  return true
}

/**
 * Whether a non-empty regex pattern prints bare ({@link BARE_REGEX}, and no `${`, which nginx would
 * read as a variable). At most 256 patterns of 8 KiB are remembered: ~2 MB.
 */
export function isBareRegex(pattern: string): boolean {
  if (BARE_PATTERNS.has(pattern)) return true
  if (!BARE_REGEX.test(pattern) || pattern.includes('${')) return false
  if (BARE_PATTERNS.size < 256 && pattern.length <= 8192) BARE_PATTERNS.add(pattern)
  return true
}

/** Refuses text nginx cannot hold: control characters (newline, NUL...) and non-ASCII. */
export function checkPrintable(text: string, what: string): void {
  if (!PRINTABLE.test(text)) {
    throw new Error(`nginx ${what} ${JSON.stringify(text)} contains a control or non-ASCII character; refusing to print it.`)
  }
}
