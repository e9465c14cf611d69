// The libraries the command bundle needs only on rare paths, bundled apart into
// dist/bin/libraries.cjs and required on first use: the lazy-libraries plugin in
// tsup.config.ts puts a stand-in for each into the command bundle, and resolves these two from
// config-schema, which depends on them. yaml reads what the fast reader hands over (YAML 1.1
// forms it does not take, errors to locate); @iarna/toml reads TOML specs. Rendering a plain
// YAML spec loads neither, which spares every cold start their share of the command bundle (a
// quarter of its code) and their module initialisation. CommonJS, so that the CLI's type check
// does not look for the two packages, which are not its own dependencies.
'use strict'

/** Each library by the specifier config-schema imports it with. */
exports.LAZY_LIBRARIES = {
  yaml: require('yaml'),
  '@iarna/toml/parse-string.js': require('@iarna/toml/parse-string.js'),
}
