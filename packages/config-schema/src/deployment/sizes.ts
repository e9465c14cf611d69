/** Parses a {@link SizeSchema} value into bytes. */
export function sizeToBytes(size: string): number {
  const unit = size.at(-1)
  const factor = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1
  const digits = factor === 1 ? size : size.slice(0, -1)
  return Number.parseInt(digits, 10) * factor
}
