/**
 * FNV-1a (32 bit) of a text, as 8 hex digits. Not for security: a pod template annotation
 * carries it so that a change of a ConfigMap's content rolls the pods that read it (a mounted
 * file under `subPath` is never refreshed in place). Pure, and needs no `node:crypto`, so the
 * renderers stay bundleable for browsers.
 */
export function checksum(text: string): string {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}
