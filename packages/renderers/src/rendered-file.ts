// RenderedFile and the file modes are defined once, in config-schema (which compose and the
// CLI use too); the renderers' modules import them from here, and the package re-exports them.
export { CONFIG_FILE_MODE, SCRIPT_FILE_MODE, type RenderedFile } from '@messenger-stack/config-schema'
