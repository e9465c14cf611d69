// `@messenger-stack/config-schema/nginx`: the nginx format as a library. The typed block tree
// (types and builders), its schema, and the one printer that turns a tree into nginx text.
// A subpath, not the package root: builder names such as `comment` or `entry` only make sense
// next to the tree they build. Pure (no file system, no process), like the main entry.
export * from './nginx/model.js'
export * from './nginx/schema.js'
export * from './nginx/print.js'
