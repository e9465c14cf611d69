// The YAML printer's process-wide texts of keys and short strings (`_yaml-texts.ts`): they stay
// bounded however many tenants a process renders, and a text is the same whether it was
// remembered, made again once the table was full, or asked for as a key or as a value.
import { describe, expect, it } from 'vitest'
import { stringScalar } from '../src/formats/_yaml-scalars.js'
import { isExplicitHead, keyHead, rememberedCounts, stringTail } from '../src/formats/_yaml-texts.js'
import { toYaml } from '../src/formats.js'
import { withRenderMemo } from '../src/index.js'
import { toYamlByLines } from './_yaml-line-printer.js'

/** A document of `count` distinct keys and non-plain values (a space makes them quoted or scanned), numbered from `from`. */
function tenantLike(from: number, count: number): Record<string, string> {
  const document: Record<string, string> = {}
  for (let index = from; index < from + count; index++) document[`host ${index}`] = `tenant ${index}: "${index}"`
  return document
}

describe('the YAML printer texts kept for the process', () => {
  it('stop growing at their bound while the printed text stays right', () => {
    // 12,000 distinct keys and values, as thousands of tenants' names would be: more than any bound that keeps memory small.
    for (let from = 0; from < 12_000; from += 1_000) {
      const document = tenantLike(from, 1_000)
      const printed = from % 2000 === 0 ? toYaml(document) : withRenderMemo(document, () => toYaml(document))
      expect(printed).toBe(toYamlByLines(document))
    }
    const counts = rememberedCounts()
    expect(counts.tails).toBeGreaterThan(0)
    expect(counts.tails).toBeLessThanOrEqual(4096)
    expect(counts.heads).toBeLessThanOrEqual(4096)
  })

  it('are the same texts once the tables are full', () => {
    for (let from = 20_000; from < 30_000; from += 1_000) toYaml(tenantLike(from, 1_000))
    const fresh = 'not met before: "x"'
    expect(stringTail(fresh)).toBe(` ${stringScalar(fresh)}\n`)
    expect(keyHead(fresh)).toBe(`${stringScalar(fresh)}:`)
    expect(toYaml({ [fresh]: fresh, on: 'on' })).toBe(`'not met before: "x"': 'not met before: "x"'\n"on": "on"\n`)
  })

  it('keep a key apart from the same string as a value', () => {
    // `on` is quoted either way, but a key's text ends in a colon and a value's in a newline.
    const document = { on: 'on', 'a b': 'a b', list: ['on', 'a b'] }
    expect(toYaml(document)).toBe('"on": "on"\na b: a b\nlist:\n  - "on"\n  - a b\n')
    expect(toYaml(document)).toBe(toYamlByLines(document))
  })

  it('write a key too long to be implicit as an explicit key, remembered or not', () => {
    const long = 'k'.repeat(1_100)
    const head = keyHead(long)
    expect(isExplicitHead(head)).toBe(true)
    expect(head).toBe(`? ${long}\n`)
    expect(keyHead(long)).toBe(head)
    expect(isExplicitHead(keyHead('server_name'))).toBe(false)
    expect(toYaml({ [long]: 1 })).toBe(`? ${long}\n: 1\n`)
  })
})
