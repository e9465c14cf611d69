/** Polls `probe` until it returns a value other than undefined, at most `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  opts: { readonly timeoutMs: number; readonly intervalMs?: number; readonly abort?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs
  let lastError = 'no answer yet'
  for (;;) {
    const aborted = opts.abort?.()
    if (aborted !== undefined) throw new Error(`${what}: gave up, ${aborted}`)
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err)
    }
    if (Date.now() >= deadline) throw new Error(`${what}: not ready after ${opts.timeoutMs} ms (last: ${lastError})`)
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250))
  }
}

/** `promise`, or an error naming `what` once `timeoutMs` has passed (for calls with no timeout of their own). */
export async function within<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${timeoutMs} ms`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
