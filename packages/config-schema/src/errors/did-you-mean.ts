/** Levenshtein distance of two short strings (keys, flags, command names). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** The closest known key to `key`, if it is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase()
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const score = editDistance(lower, candidate.toLowerCase())
    if (score < bestScore) {
      best = candidate
      bestScore = score
    }
  }
  if (best === undefined) return undefined
  const allowed = Math.max(1, Math.floor(Math.max(key.length, best.length) / 3))
  return bestScore <= allowed ? best : undefined
}
