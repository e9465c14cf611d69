import {
  deploymentSpecJsonSchema,
  formatIssues,
  type DeploymentSpec,
  type FormatIssuesOptions,
  type RenderedFile,
  type SpecIssue,
  type SpecParseResult,
} from '@messenger-stack/config-schema'
import { safeLoadDeploymentSpec } from '@messenger-stack/config-schema/node'
import { renderAll, type RenderOptions } from '@messenger-stack/renderers'

/**
 * What the CLI needs from the other packages. Only command modules import the defaults, so
 * `--help` loads none of them; tests may replace any of them or add the hooks.
 */
export interface CliDeps {
  /** Reads and validates a spec file; rejects only for I/O errors. */
  readonly loadSpec: (file: string) => Promise<SpecParseResult>
  /** Formats issues for people. */
  readonly formatIssues: (issues: readonly SpecIssue[], options: FormatIssuesOptions) => Promise<string> | string
  /** Renders every file of the bundle; `options` name the spec and bundle folder in DEPLOY.md. */
  readonly renderAll: (spec: DeploymentSpec, options?: RenderOptions) => Promise<readonly RenderedFile[]> | readonly RenderedFile[]
  /** The deployment spec's JSON Schema. */
  readonly jsonSchema: () => Promise<unknown> | unknown
  /** Test hook: runs after each bundle file is written (1-based count); throwing simulates a crash. */
  readonly afterFileWritten?: (path: string, count: number) => void | Promise<void>
}

/** The real implementations. */
export const defaultDeps: CliDeps = {
  loadSpec: (file) => safeLoadDeploymentSpec(file),
  formatIssues: (issues, options) => formatIssues(issues, options),
  renderAll: (spec, options) => renderAll(spec, options),
  jsonSchema: () => deploymentSpecJsonSchema(),
}
