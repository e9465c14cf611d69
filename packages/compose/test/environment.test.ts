import { describe, expect, it } from 'vitest'
import { composeEnvironmentVariables } from '../src/index.js'
import { example } from './_fixtures.js'
import { coverageSpecs } from './_walk.js'
import { composeFilesFor } from '../src/index.js'

/** Every `${NAME...}` the text interpolates (`$$` is a literal dollar in compose). */
function interpolated(text: string): Set<string> {
  const names = new Set<string>()
  for (const match of text.replaceAll('$$', '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!)
  return names
}

describe('composeEnvironmentVariables', () => {
  it.each(coverageSpecs())('lists exactly the variables the files of %s read', (_label, s) => {
    const listed = composeEnvironmentVariables(s)
    const read = new Set<string>()
    for (const file of composeFilesFor(s)) for (const name of interpolated(file.content)) read.add(name)
    expect([...read].sort()).toEqual(listed.map((v) => v.name).sort())
    for (const variable of listed) {
      expect(variable.description).toMatch(/^[A-Z].*\.$/)
      expect(variable.default).toMatch(/^[1-9][0-9]*$/)
    }
  })

  it('uses the original service names and the spec defaults', () => {
    const s = example('microservice')
    expect(composeEnvironmentVariables(s)).toMatchInlineSnapshot(`
      [
        {
          "default": "1001",
          "description": "Numeric user ID every container runs as. Must not be 0 (root); it must own ./data and ./secrets.",
          "name": "CONTAINER_USER_UID",
        },
        {
          "default": "1001",
          "description": "Numeric group ID every container runs as. Must not be 0 (root).",
          "name": "CONTAINER_USER_GID",
        },
      ]
    `)
  })
})
