const FNV_OFFSET = 0x811c9dc5

/**
 * FNV-1a (32 bit) of a text, as 8 hex digits. Not for security: a pod template annotation
 * carries it so that a change of a ConfigMap's content rolls the pods that read it (a mounted
 * file under `subPath` is never refreshed in place). Pure, and needs no `node:crypto`, so the
 * renderers stay bundleable for browsers.
 */
export function checksum(text: string): string {
  return checksumDigits(fnv1a(FNV_OFFSET, text))
}

/** The FNV-1a state after `text`, from `state` (start with {@link FNV_START}): a text hashed in pieces hashes as a whole. */
export function fnv1a(state: number, text: string): number {
  let hash = state
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** The state of an FNV-1a hash of nothing. */
export const FNV_START = FNV_OFFSET

/** A final FNV-1a state as the 8 hex digits {@link checksum} prints. */
export function checksumDigits(state: number): string {
  return state.toString(16).padStart(8, '0')
}
