export { cli, nodeIo, CLI_VERSION, EXIT, type CliIo, type CliDeps } from './cli.js'
export { unifiedDiff, type DiffOptions } from './unified-diff.js'
export { MANIFEST_PATH, type Manifest, type ManifestEntry } from './manifest.js'
export type { JsonReport, ReportedFile, ReportedIssue } from './_report.js'
