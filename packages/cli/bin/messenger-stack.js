#!/usr/bin/env node
// The messenger-stack command. Its logic is cli() in src/cli.ts; this loads the built bundle.
import { createRequire } from 'node:module'
const { cli, nodeIo } = createRequire(import.meta.url)('../dist/bin/messenger-stack.cjs')
process.exitCode = await cli(process.argv.slice(2), nodeIo())
