// The one type for a file of a rendered bundle, shared by every package: renderers returns
// it, compose returns it, the CLI writes it. It lives here, beside BUNDLE_PATHS, because every
// other package depends on config-schema; renderers re-exports it.

/** File mode of rendered configuration files: owner read/write, everyone else read. */
export const CONFIG_FILE_MODE = 0o644

/** File mode of rendered scripts: executable. */
export const SCRIPT_FILE_MODE = 0o755

/**
 * One file of a rendered bundle: its path relative to the output folder (see
 * `BUNDLE_PATHS`), its exact content (LF line endings, final newline) and its Unix mode.
 */
export interface RenderedFile {
  /** Path relative to the bundle root, with `/` separators. */
  readonly path: string
  /** The file's content, byte for byte. */
  readonly content: string
  /** Unix permission bits: {@link CONFIG_FILE_MODE} or {@link SCRIPT_FILE_MODE}. */
  readonly mode: number
}
