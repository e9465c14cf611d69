/** TLS options of {@link requestJson}. */
export interface TlsOptions {
  /** Extra CA certificate(s), PEM. */
  readonly ca?: string
  /** Skip certificate verification (tests only). */
  readonly insecure?: boolean
}

/** A JSON response. */
export interface JsonResponse {
  readonly status: number
  readonly body: unknown
  readonly text: string
}

/**
 * One HTTP(S) request with a JSON body and a JSON answer, through node:http/https (so a CA
 * file can be trusted without a dependency). With `socketPath`, plain HTTP over that Unix
 * socket (the URL then gives only the path). Bounded by `timeoutMs`; rejects on network
 * errors, resolves with any HTTP status.
 */
export function requestJson(
  url: URL,
  method: 'GET' | 'POST',
  body: unknown,
  tls: TlsOptions,
  timeoutMs = 30_000,
  socketPath?: string,
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const options = {
      method,
      headers: {
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
      },
      timeout: timeoutMs,
      ...(socketPath === undefined ? {} : { socketPath }),
      ...(url.protocol === 'https:' ? { ...(tls.ca === undefined ? {} : { ca: tls.ca }), rejectUnauthorized: tls.insecure !== true } : {}),
    }
    // Looked up when a request is made, not imported: loading http and https at start-up costs
    // every other command's cold start, and the CLI's V8 startup snapshot cannot hold them.
    const { request } = url.protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http')
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > 1_000_000) req.destroy(new Error('the answer is larger than 1 MB'))
        else chunks.push(chunk)
      })
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {
          parsed = undefined
        }
        resolve({ status: res.statusCode ?? 0, body: parsed, text })
      })
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)))
    req.on('error', reject)
    req.end(payload)
  })
}
