import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** Absolute path of a file, from the repository root. */
export const repoPath = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url))

/** Text of a file, from the repository root. */
export const repoFile = (path: string): string => readFileSync(repoPath(path), 'utf8')

/** The example specs of the repository. */
export const EXAMPLES = ['standalone', 'microservice'] as const
