import type { FlagSpec, ParsedArgs, PositionalSpec } from './_args.js'
import type { CliDeps } from './_deps.js'
import type { CliIo } from './_io.js'
import type { Reporter } from './_report.js'

/** What a command's `run` receives. */
export interface CommandContext {
  readonly io: CliIo
  readonly deps: CliDeps
  readonly args: ParsedArgs
  readonly report: Reporter
}

/** A command's implementation module (loaded only when the command runs). */
export interface CommandModule {
  run(context: CommandContext): Promise<number>
  /** The real dependencies; each command module carries them so its bundle is self-contained. */
  readonly defaultDeps: CliDeps
}

/** A command's name, help and flags; cheap to load, so `--help` imports nothing heavy. */
export interface CommandSpec {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly description: readonly string[]
  readonly positionals: readonly PositionalSpec[]
  readonly flags: readonly FlagSpec[]
  readonly examples: readonly string[]
  readonly exitCodes: readonly string[]
  readonly load: () => Promise<CommandModule>
}

const SPEC_ARG: PositionalSpec = {
  name: 'spec',
  required: true,
  description: 'Deployment spec file: .yaml/.yml (YAML 1.1), .json or .toml.',
}
const OUT_FLAG: FlagSpec = { name: 'out', type: 'string', value: 'DIR', description: 'Output folder of the bundle.' }

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'init',
    summary: 'Start a deployment: a commented deployment.yaml and a secrets/ folder.',
    usage: 'messenger-stack init [dir] --server-name NAME [--mode standalone|microservice] [--uid N --gid N] [--email ADDRESS]',
    description: [
      'Writes <dir>/deployment.yaml (commented, with a $schema line for editors) and generates <dir>/secrets/.',
      'Never overwrites a file: run it again to complete a folder. Containers run as the invoking user',
      '(its UID/GID); as root, --uid and --gid are required, because containers never run as root.',
    ],
    positionals: [{ name: 'dir', required: false, description: 'Folder to initialise (default: the current folder).' }],
    flags: [
      {
        name: 'server-name',
        type: 'string',
        value: 'NAME',
        description: 'The Matrix server name (the domain in @user:NAME). Required for a new spec.',
      },
      {
        name: 'mode',
        type: 'string',
        value: 'MODE',
        description: "'standalone' (default: own nginx + Let's Encrypt) or 'microservice' (behind a gateway).",
      },
      { name: 'uid', type: 'string', value: 'N', description: 'User ID the containers run as (default: yours; required as root).' },
      { name: 'gid', type: 'string', value: 'N', description: 'Group ID the containers run as (default: yours; required as root).' },
      { name: 'email', type: 'string', value: 'ADDRESS', description: "Let's Encrypt contact (standalone; default admin@<server name>)." },
    ],
    examples: ['messenger-stack init my-chat --server-name example.org'],
    exitCodes: ['0 done', '1 the resulting spec is invalid', '2 usage or I/O error (nothing written)'],
    load: () => import('./commands/init.js'),
  },
  {
    name: 'secrets',
    summary: 'Generate missing secrets and refresh the derived secret files.',
    usage: 'messenger-stack secrets [dir] [--spec FILE] [--kubernetes]',
    description: [
      'Generates every missing secret with the system CSPRNG (files 0600 in a 0700 folder) and never',
      'changes an existing one. With a spec (--spec, or deployment.yaml next to the folder) it also',
      'writes synapse.pgpass, redis-auth.conf and livekit_keys.yaml. Repairs modes without touching content.',
      'With --kubernetes (needs a spec) it also writes <dir>/kubernetes-secret.yaml: the Secret the',
      'Kubernetes manifests name, with the files the workloads read. It holds secret values: never commit it.',
    ],
    positionals: [{ name: 'dir', required: false, description: 'Secrets folder (default: ./secrets).' }],
    flags: [
      { name: 'spec', type: 'string', value: 'FILE', description: 'Deployment spec (for the LiveKit key name and database user).' },
      {
        name: 'kubernetes',
        type: 'boolean',
        description: 'Also write <dir>/kubernetes-secret.yaml (the Secret of the Kubernetes manifests).',
      },
    ],
    examples: [
      'messenger-stack secrets secrets --spec deployment.yaml',
      'messenger-stack secrets secrets --spec deployment.yaml --kubernetes',
    ],
    exitCodes: ['0 done', '1 invalid spec or invalid existing secret', '2 usage or I/O error'],
    load: () => import('./commands/secrets.js'),
  },
  {
    name: 'render',
    summary: 'Render every file of the bundle into a folder, atomically.',
    usage: 'messenger-stack render <spec> --out DIR [--secrets DIR] [--force] [--dry-run] [--json]',
    description: [
      'Validates the spec (nothing is written when it is invalid), renders the bundle and writes each',
      'changed file atomically, then the manifest <out>/.messenger-stack/manifest.json. A file that',
      'differs from what messenger-stack last wrote was edited by hand: render stops before writing',
      'anything and shows the diff, unless --force. Files no longer rendered are reported, not deleted.',
      'With --secrets, the derived secret files in that folder are refreshed too; secrets never go into the bundle.',
    ],
    positionals: [SPEC_ARG],
    flags: [
      OUT_FLAG,
      { name: 'secrets', type: 'string', value: 'DIR', description: 'Secrets folder: check it is complete and refresh its derived files.' },
      { name: 'force', type: 'boolean', description: 'Overwrite hand-edited files.' },
      { name: 'dry-run', type: 'boolean', description: 'Show what would change; write nothing.' },
    ],
    examples: ['messenger-stack render deployment.yaml --out . --secrets secrets'],
    exitCodes: ['0 written (or nothing to do)', '1 invalid spec or secrets, or hand-edited files in the way', '2 usage or I/O error'],
    load: () => import('./commands/render.js'),
  },
  {
    name: 'check',
    summary: 'Fail when the files on disk differ from what render would write (CI drift check).',
    usage: 'messenger-stack check <spec> --out DIR [--json]',
    description: ['Compares the bundle the spec renders with the output folder: changed, missing and extra files.'],
    positionals: [SPEC_ARG],
    flags: [OUT_FLAG],
    examples: ['messenger-stack check deployment.yaml --out .'],
    exitCodes: ['0 clean', '1 drift found, or the spec is invalid', '2 usage or I/O error'],
    load: () => import('./commands/check.js'),
  },
  {
    name: 'diff',
    summary: 'Show the unified diff of what render would change.',
    usage: 'messenger-stack diff <spec> --out DIR [--json]',
    description: ['Prints a unified diff from the files on disk to the files render would write. Writes nothing.'],
    positionals: [SPEC_ARG],
    flags: [OUT_FLAG],
    examples: ['messenger-stack diff deployment.yaml --out .'],
    exitCodes: ['0 no differences', '1 differences found (like diff(1)), or the spec is invalid', '2 usage or I/O error'],
    load: () => import('./commands/diff.js'),
  },
  {
    name: 'validate',
    summary: 'Validate a spec and print every issue with file, line and column.',
    usage: 'messenger-stack validate <spec> [--json]',
    description: ['Reads the spec (YAML 1.1, JSON or TOML) and runs every field and cross-field check.'],
    positionals: [SPEC_ARG],
    flags: [],
    examples: ['messenger-stack validate deployment.yaml'],
    exitCodes: ['0 valid', '1 invalid', '2 usage or I/O error'],
    load: () => import('./commands/validate.js'),
  },
  {
    name: 'schema',
    summary: "Print the deployment spec's JSON Schema (for editors and other tools).",
    usage: 'messenger-stack schema',
    description: ['Prints the JSON Schema (draft 2020-12) of what users write in a deployment spec.'],
    positionals: [],
    flags: [],
    examples: ['messenger-stack schema > deployment-spec.schema.json'],
    exitCodes: ['0 printed', '2 usage error'],
    load: () => import('./commands/schema.js'),
  },
  {
    name: 'import-env',
    summary: "Migrate the original service's .env to deployment.yaml and secrets/.",
    usage:
      'messenger-stack import-env <file.env> [--out DIR] [--mode standalone|microservice] [--signing-key FILE | --new-signing-key] [--default-ports]',
    description: [
      'Reads the .env of the original service and writes the equivalent deployment.yaml and secrets/',
      'folder, keeping every secret value it finds (generating only the missing ones), its Synapse signing',
      'key (synapse/data/<server>.signing.key beside the .env) and its ports, and saying what it kept,',
      'what it changed and which variables it could not map. Refuses to overwrite an existing',
      'deployment.yaml or secrets/ folder.',
    ],
    positionals: [{ name: 'file.env', required: true, description: 'The .env file of the original service.' }],
    flags: [
      { name: 'out', type: 'string', value: 'DIR', description: 'Folder to write into (default: the current folder).' },
      {
        name: 'mode',
        type: 'string',
        value: 'MODE',
        description: 'Deployment mode (default: microservice when NGINX_MICROSERVICE_DIR is set or no LETSENCRYPT_EMAIL).',
      },
      {
        name: 'signing-key',
        type: 'string',
        value: 'FILE',
        description: "Synapse's signing key to keep (default: synapse/data/<server>.signing.key beside the .env).",
      },
      {
        name: 'new-signing-key',
        type: 'boolean',
        description: 'Generate a new signing key: a new federation identity, for a server that never federated.',
      },
      {
        name: 'default-ports',
        type: 'boolean',
        description:
          "Use messenger-stack's ports (Synapse 8008, one UDP mux port 7882, TURN 3478) instead of the original's (3708, UDP 50000-60000, 7882).",
      },
    ],
    examples: [
      'messenger-stack import-env /home/statex/messenger/.env --out messenger',
      'messenger-stack import-env old/.env --out new --signing-key old/synapse/data/chat.example.org.signing.key --default-ports',
    ],
    exitCodes: ['0 written', '1 the result would be an invalid spec or secret', '2 usage or I/O error, or the files already exist'],
    load: () => import('./commands/import-env.js'),
  },
  {
    name: 'register-user',
    summary: "Create a user with Synapse's shared-secret registration API.",
    usage:
      'messenger-stack register-user <user> (--socket PATH | --url URL) --secrets DIR [--admin [--allow-weak-password]] [--password-file FILE] [--insecure | --ca-file FILE]',
    description: [
      'Asks Synapse for a nonce and registers the user with an HMAC-SHA1 over it, keyed with the',
      'registration shared secret from the secrets folder. The password is read from a terminal prompt',
      '(not echoed) or from --password-file (use - for standard input); never pass it as an argument.',
    ],
    positionals: [{ name: 'user', required: true, description: 'Localpart of the new user, such as alice.' }],
    flags: [
      {
        name: 'socket',
        type: 'string',
        value: 'PATH',
        description:
          "Synapse's admin socket, data/synapse/admin.sock in the bundle (root and the container user only); nothing publishes the admin API.",
      },
      {
        name: 'url',
        type: 'string',
        value: 'URL',
        description:
          'Instead of --socket: a Synapse listener that serves the admin API, such as http://messenger-synapse:8008 on its network.',
      },
      { name: 'secrets', type: 'string', value: 'DIR', description: 'Secrets folder holding synapse_registration_shared_secret.' },
      { name: 'admin', type: 'boolean', description: 'Make the user a server admin (its password needs 12 characters or more).' },
      {
        name: 'allow-weak-password',
        type: 'boolean',
        description: 'Register a server admin with a password shorter than 12 characters (not recommended).',
      },
      {
        name: 'password-file',
        type: 'string',
        value: 'FILE',
        description: 'Read the password from the first line of FILE (- for standard input).',
      },
      { name: 'ca-file', type: 'string', value: 'FILE', description: 'Trust this PEM CA certificate for https (e.g. a test CA).' },
      { name: 'insecure', type: 'boolean', description: 'Do not verify the TLS certificate (tests only).' },
    ],
    examples: ['messenger-stack register-user alice --admin --socket data/synapse/admin.sock --secrets secrets'],
    exitCodes: [
      '0 registered',
      '1 Synapse refused the registration (e.g. user exists), or an admin password under 12 characters',
      '2 usage, I/O or network error',
    ],
    load: () => import('./commands/register-user.js'),
  },
]

/** Formats a command's `--help`. */
export function commandHelp(spec: CommandSpec, allFlags: readonly FlagSpec[]): string {
  const pad = (text: string) => text.padEnd(22)
  const lines = [`Usage: ${spec.usage}`, '', spec.summary, '', ...spec.description]
  if (spec.positionals.length > 0) {
    lines.push('', 'Arguments:')
    for (const p of spec.positionals) lines.push(`  ${pad(p.required ? `<${p.name}>` : `[${p.name}]`)}${p.description}`)
  }
  lines.push('', 'Flags:')
  for (const flag of allFlags)
    lines.push(`  ${pad(`--${flag.name}${flag.type === 'string' ? ` ${flag.value ?? 'VALUE'}` : ''}`)}${flag.description}`)
  lines.push('', 'Exit codes:', ...spec.exitCodes.map((c) => `  ${c}`))
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:', ...spec.examples.map((e) => `  ${e}`))
  return `${lines.join('\n')}\n`
}
