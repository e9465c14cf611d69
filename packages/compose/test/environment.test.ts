import { describe, expect, it } from 'vitest'
import { composeFilesFor } from '../src/index.js'
import { coverageSpecs } from './_walk.js'

/** Every `${NAME...}` or `$NAME` the text interpolates (`$$` is a literal dollar in compose). */
function interpolated(text: string): Set<string> {
  const names = new Set<string>()
  for (const match of text.replaceAll('$$', '').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(match[1]!)
  return names
}

describe('the compose files read no variable', () => {
  // Whoever can write `.env` or the environment of `docker compose` must not be able to change
  // a rendered setting, above all `user:` (the original service read CONTAINER_USER_UID there).
  it.each(coverageSpecs())('%s: nothing is interpolated from .env or the environment', (_label, s) => {
    for (const file of composeFilesFor(s)) expect([...interpolated(file.content)], file.path).toEqual([])
  })
})
