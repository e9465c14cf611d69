// Prints the runtime export names of every package, loaded through require().
const names = {}
for (const pkg of ['config-schema', 'config-schema/node', 'config-schema/nginx', 'config-schema/formats', 'renderers', 'compose', 'cli'])
  names[pkg] = Object.keys(require(`@messenger-stack/${pkg}`)).sort()
process.stdout.write(`${JSON.stringify(names, null, 2)}\n`)
