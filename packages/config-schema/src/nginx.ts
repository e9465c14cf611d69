/**
 * `@messenger-stack/config-schema/nginx`: the nginx format as a library. The typed block tree
 * (types and builders), its schema, and `printNginx`, the one printer that turns a tree into
 * nginx text. Pure (no file system, no process), like the main entry.
 *
 * @module
 */
// A subpath, not the package root: builder names such as `comment` or `entry` only make sense
// next to the tree they build.
export * from './nginx/model.js'
export * from './nginx/schema.js'
export * from './nginx/print.js'
