import type { CliIo } from './_io.js'

/**
 * Fault injection for tests of the built command, read from the environment only under
 * vitest (VITEST set), so an operator's stray variable does nothing:
 * - MESSENGER_STACK_TEST_FAIL_AFTER=N: fail (exit 2) after N files;
 * - MESSENGER_STACK_TEST_KILL_AFTER=N: SIGKILL itself after N files (a crash nothing can clean up);
 * - MESSENGER_STACK_TEST_PAUSE=N:MS: sleep MS milliseconds after N files, holding the lock.
 */
export interface TestHooks {
  readonly failAfter?: number
  readonly killAfter?: number
  readonly pause?: { readonly after: number; readonly ms: number }
}

/** The hooks set in `io.env` (none outside vitest). */
export function testHooks(io: CliIo): TestHooks {
  const env = io.env
  if ((env['VITEST'] ?? '') === '') return {}
  const int = (name: string) => (env[name] === undefined ? undefined : Number.parseInt(env[name]!, 10))
  const [after, ms] = (env['MESSENGER_STACK_TEST_PAUSE'] ?? '').split(':').map((v) => Number.parseInt(v, 10))
  const failAfter = int('MESSENGER_STACK_TEST_FAIL_AFTER')
  const killAfter = int('MESSENGER_STACK_TEST_KILL_AFTER')
  return {
    ...(failAfter === undefined ? {} : { failAfter }),
    ...(killAfter === undefined ? {} : { killAfter }),
    ...(after === undefined || ms === undefined || Number.isNaN(after) || Number.isNaN(ms) ? {} : { pause: { after, ms } }),
  }
}
