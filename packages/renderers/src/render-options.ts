/**
 * Options of {@link renderAll} that only the prose of the bundle depends on: where the
 * operator keeps the spec, so that `DEPLOY.md` gives commands that work as written. Renderers
 * stay pure: the same spec and options give the same bytes.
 */
export interface RenderOptions {
  /**
   * The spec file as seen from the bundle folder, where `DEPLOY.md` lives and its commands
   * run: `deployment.yaml` after `messenger-stack init deploy` (the spec inside the bundle
   * folder), `../deployment.yaml` for a spec beside it. Default `deployment.yaml`.
   */
  readonly specPath?: string
}

/** {@link RenderOptions} with defaults applied. */
export interface ResolvedRenderOptions {
  readonly specPath: string
}

// One line, no backticks: the path is printed inside Markdown code and shell commands.
const PRINTABLE_PATH = /^[^\p{Cc}`]{1,1000}$/u

/**
 * Applies the defaults of {@link RenderOptions}.
 *
 * @throws {RangeError} when the path is empty, or has a control character or a backtick.
 */
export function resolveRenderOptions(options: RenderOptions = {}): ResolvedRenderOptions {
  const specPath = options.specPath ?? 'deployment.yaml'
  if (!PRINTABLE_PATH.test(specPath)) throw new RangeError('RenderOptions.specPath must be one line of text without backticks.')
  return { specPath }
}
