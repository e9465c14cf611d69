// The YAML printer's texts of single strings (a key as the start of its line, a string scalar as
// the end of its line), remembered for the process: each depends on its string alone.
import { stringScalar } from './_yaml-scalars.js'

/**
 * How many keys, and how many string scalars, are remembered, each; once a table is full it
 * stops growing and the text is made every time. A bundle prints a few hundred distinct ones,
 * most fixed by the code, and those are the first a process meets; a process rendering many
 * tenants fills the rest with its first tenants' names and hosts. Bounded in length as well, so
 * a table holds at most ~4,096 short strings and their texts, a few megabytes at worst.
 */
const MAX_REMEMBERED = 4096
const MAX_REMEMBERED_LENGTH = 256

/*
 * Why for the process and not per render: a render's tables started empty, so every render
 * classified and quoted its few hundred strings again and grew two Maps from nothing (rehashing
 * as they grew), 5-11% of a render (measured on every example). Only the string is the key: what
 * a spec asks never decides what a text looks like, so a table cannot carry one tenant's choice
 * into another's bundle.
 */
const TAILS = new Map<string, string>()
const HEADS = new Map<string, string>()

/**
 * A string scalar that is not a plain word as the end of its line: ` scalar\n`, quoted when it
 * must be (see `stringScalar`).
 */
export function stringTail(text: string): string {
  let tail = TAILS.get(text)
  if (tail === undefined) {
    tail = ` ${stringScalar(text)}\n`
    if (TAILS.size < MAX_REMEMBERED && text.length <= MAX_REMEMBERED_LENGTH) TAILS.set(text, tail)
  }
  return tail
}

/**
 * A key as the start of its line after the indentation: `key:`, or for a key too long to be
 * implicit `? key` and a newline (see {@link IMPLICIT_KEY_LIMIT}; {@link isExplicitHead} tells).
 */
export function keyHead(key: string): string {
  let head = HEADS.get(key)
  if (head === undefined) {
    const keyText = stringScalar(key)
    head = keyText.length > IMPLICIT_KEY_LIMIT ? `? ${keyText}\n` : `${keyText}:`
    if (HEADS.size < MAX_REMEMBERED && key.length <= MAX_REMEMBERED_LENGTH) HEADS.set(key, head)
  }
  return head
}

/**
 * Whether a head from {@link keyHead} is an explicit key's, which ends its line: the value's
 * colon then starts the next line, indented. Told by length: an implicit head is at most
 * {@link IMPLICIT_KEY_LIMIT} characters and its colon.
 */
export function isExplicitHead(head: string): boolean {
  return head.length > IMPLICIT_KEY_LIMIT + 1
}

/**
 * YAML allows an implicit key (`key: value`) of at most 1024 characters up to its `:`, and
 * both PyYAML and the yaml library refuse longer ones; a longer key is written as an explicit
 * `? key` / `: value` pair, which has no such limit. Measured on the printed key (quotes and
 * escapes included), in UTF-16 code units, which is never fewer than the code points PyYAML
 * counts; kept under 1024 with room to spare.
 */
const IMPLICIT_KEY_LIMIT = 1000

/** How many texts each table holds (for tests of the bound). */
export function rememberedCounts(): { readonly tails: number; readonly heads: number } {
  return { tails: TAILS.size, heads: HEADS.size }
}
