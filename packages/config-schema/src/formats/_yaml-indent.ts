// The YAML printer's indentation strings (see yaml.ts), in a module of their own.

/**
 * Indentation (spaces only) one level deeper than `indent`, and `indent` followed by a list
 * item's `-`, by width: every nested block and list item needs one, and a table filled as
 * widths come up (fixed by the code, not by any spec) saves building the same short string
 * thousands of times per bundle.
 */
const DEEPER: string[] = []
const DASHED: string[] = []

export function deeper(indent: string): string {
  const known = DEEPER[indent.length]
  if (known !== undefined) return known
  DEEPER[indent.length] = `${indent}  `
  return `${indent}  `
}

export function dashed(indent: string): string {
  const known = DASHED[indent.length]
  if (known !== undefined) return known
  DASHED[indent.length] = `${indent}-`
  return `${indent}-`
}
