/**
 * `@messenger-stack/config-schema/formats`: the printers every rendered file goes through, as a
 * library. `toYaml` (YAML 1.1-safe, deterministic), `stableJson` (sorted keys, two-space
 * indent) and `generatedHeader` (the "generated, do not edit" lines). Pure (no file system,
 * no process), like the main entry. The nginx printer has its own subpath,
 * `@messenger-stack/config-schema/nginx`, next to the block tree it prints.
 *
 * @module
 */
// A subpath, not the package root: the root is the deployment spec (schemas, parsing,
// derived values); a tool that only prints YAML or JSON reaches the printers without it.
export * from './formats/yaml.js'
export { stableJson } from './formats/json.js'
export * from './formats/header.js'
