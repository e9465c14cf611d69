import { describe, expect, it } from 'vitest'
import { isSpecError, safeParseDeploymentSpec, SpecError } from '../src/index.js'

// A second, separate instance of the module that defines SpecError, as the CommonJS build or a
// bundle that inlined config-schema would be: vite keys modules by URL, query included. The
// consumer test (e2e/consumer) checks the same thing with the real ESM and CommonJS builds.
const otherCopy = async (): Promise<typeof import('../src/errors/issue.js')> => {
  const url = new URL('../src/errors/issue.ts?another-copy', import.meta.url).href
  return import(/* @vite-ignore */ url)
}

const issue = { path: ['serverName'], code: 'invalid_format', message: 'Bad.', hint: 'Fix it.' } as const

describe('isSpecError', () => {
  it('recognises a SpecError from this copy and from another copy of the module', async () => {
    const other = await otherCopy()
    expect(other.SpecError).not.toBe(SpecError)
    const foreign = new other.SpecError([issue])
    expect(foreign instanceof SpecError).toBe(false) // why isSpecError exists
    expect(isSpecError(foreign)).toBe(true)
    expect(other.isSpecError(new SpecError([issue]))).toBe(true)
  })

  it('recognises what the parsers throw', () => {
    const result = safeParseDeploymentSpec({ serverName: 'Bad_Name' })
    expect(result.success).toBe(false)
    let thrown: unknown
    try {
      throw new SpecError(result.success ? [] : result.issues)
    } catch (error) {
      thrown = error
    }
    expect(isSpecError(thrown)).toBe(true)
  })

  it('refuses look-alikes: a plain Error named SpecError, an object with issues, non-objects', () => {
    const named = Object.assign(new Error('x'), { name: 'SpecError', issues: [issue] })
    expect(isSpecError(named)).toBe(false)
    expect(isSpecError({ issues: [issue] })).toBe(false)
    expect(isSpecError(undefined)).toBe(false)
    expect(isSpecError(null)).toBe(false)
    expect(isSpecError('SpecError')).toBe(false)
  })

  it('keeps the brand out of enumeration and JSON', () => {
    const error = new SpecError([issue])
    expect(Object.keys(error).sort()).toEqual(['issues', 'name'])
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'SpecError', issues: [issue] })
  })
})
