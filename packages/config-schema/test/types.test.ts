// Docs in the editor: the compile-time rules of a spec written in TypeScript (type tests in
// types/, compiled here, so an `@ts-expect-error` that meets no error fails), and the field
// descriptions that an editor shows on hover inside defineDeployment({...}).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const tsconfig = fileURLToPath(new URL('types/tsconfig.json', import.meta.url))

it('the type tests compile: valid specs pass, typos and rule breaks are compile errors', () => {
  const result = spawnSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, '-p', tsconfig], {
    encoding: 'utf8',
    timeout: 120_000,
  })
  expect(result.stdout + result.stderr).toBe('')
  expect(result.status).toBe(0)
}, 150_000)

it('hover on a field inside defineDeployment({...}) shows its description', () => {
  const file = fileURLToPath(new URL('types/hover-sample.ts', import.meta.url))
  const text = [
    "import { defineDeployment } from '../../src/index.js'",
    "defineDeployment({ serverName: 'example.org', mode: 'microservice', livekit: { udpPort: 7882 }, containerUser: { uid: 1000, gid: 1000 } })",
    '',
  ].join('\n')
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })
  if (parsed === undefined) throw new Error('types/tsconfig.json does not parse')
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => parsed.options,
    getScriptFileNames: () => [file],
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => {
      const content = name === file ? text : ts.sys.readFile(name)
      return content === undefined ? undefined : ts.ScriptSnapshot.fromString(content)
    },
    getCurrentDirectory: () => root,
    getDefaultLibFileName: (options) => ts.getDefaultLibFilePath(options),
    fileExists: (name) => name === file || ts.sys.fileExists(name),
    readFile: (name) => (name === file ? text : ts.sys.readFile(name)),
  }
  const service = ts.createLanguageService(host)
  const hover = (word: string) => {
    const info = service.getQuickInfoAtPosition(file, text.indexOf(word) + 1)
    return ts.displayPartsToString(info?.documentation)
  }
  expect(hover('serverName')).toContain('The Matrix server name: the domain in user IDs')
  expect(hover('mode')).toContain("'microservice': behind an existing nginx gateway")
  expect(hover('udpPort')).toContain('A single UDP port for all media')
  expect(hover('uid')).toContain('Numeric user ID every container runs as')
  expect(hover('defineDeployment(')).toContain('A spec written in TypeScript')
}, 120_000)
