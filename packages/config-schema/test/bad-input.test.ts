import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { formatIssues, safeLoadDeploymentSpecText } from '../src/index.js'

// Each invalid spec in fixtures/bad is loaded as a file would be, and its issues (code,
// message, path, file:line:column, hint) are pinned here so that their wording is reviewed.

const directory = new URL('./fixtures/bad/', import.meta.url)

function report(name: string): string {
  const text = readFileSync(fileURLToPath(new URL(name, directory)), 'utf8')
  const result = safeLoadDeploymentSpecText(text, name)
  if (result.success) return 'ACCEPTED, but this fixture must be refused'
  for (const issue of result.issues) {
    expect(issue).toMatchObject({ file: name, line: expect.any(Number), column: expect.any(Number) })
  }
  return result.issues.map((issue) => `[${issue.code}] ${formatIssues([issue], { color: false })}`).join('\n')
}

const pinned = new Set<string>()
const pin = (name: string) => {
  pinned.add(name)
  return report(name)
}

describe('bad specs', () => {
  it('allow-list-hostile.yaml', () => {
    expect(pin('allow-list-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ synapse.federation.allowList[1] must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "bad host; deny all").
        → at synapse.federation.allowList[1] (allow-list-hostile.yaml:9:9)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('bad-json-comment.json', () => {
    expect(pin('bad-json-comment.json')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ bad-json-comment.json is not valid JSON: found a key that is not in double quotes.
        → at bad-json-comment.json:2:3
        hint: fix the JSON at this position; JSON allows no comments, no trailing commas and only double-quoted text."
    `)
  })

  it('bad-json-single-quotes.json', () => {
    expect(pin('bad-json-single-quotes.json')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ bad-json-single-quotes.json is not valid JSON: found a key that is not in double quotes.
        → at bad-json-single-quotes.json:2:3
        hint: fix the JSON at this position; JSON allows no comments, no trailing commas and only double-quoted text."
    `)
  })

  it('bad-json-trailing-comma.json', () => {
    expect(pin('bad-json-trailing-comma.json')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ bad-json-trailing-comma.json is not valid JSON: found a comma before "}" (JSON allows no trailing commas).
        → at bad-json-trailing-comma.json:3:1
        hint: fix the JSON at this position; JSON allows no comments, no trailing commas and only double-quoted text."
    `)
  })

  it('brand-newline.yaml', () => {
    expect(pin('brand-newline.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ elementWeb.brand must be one line of text without control characters (got "Chat\\rEvil").
        → at elementWeb.brand (brand-newline.yaml:6:10)
        hint: use one line of text of at most 200 characters."
    `)
  })

  it('brand-nul.json', () => {
    expect(pin('brand-nul.json')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ elementWeb.brand must be one line of text without control characters (got "Chat\\u0000").
        → at elementWeb.brand (brand-nul.json:4:28)
        hint: use one line of text of at most 200 characters."
    `)
  })

  it('brand-too-long.yaml', () => {
    expect(pin('brand-too-long.yaml')).toMatchInlineSnapshot(`
      "[out_of_range] ✖ elementWeb.brand must be at most 200 characters long (got "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...).
        → at elementWeb.brand (brand-too-long.yaml:6:10)
        hint: use one line of text of at most 200 characters."
    `)
  })

  it('certificate-path-hostile.yaml', () => {
    expect(pin('certificate-path-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ tls.certificateFiles.certificate must be an absolute path of letters, digits and "._/@+-" (got "/etc/ssl/matrix.pem; rm -rf /").
        → at tls.certificateFiles.certificate (certificate-path-hostile.yaml:4:18)
        hint: use the absolute host path of the PEM file, such as "/etc/ssl/matrix/fullchain.pem".
      [invalid_format] ✖ tls.certificateFiles.key must be an absolute path of letters, digits and "._/@+-" (got "relative/key.pem").
        → at tls.certificateFiles.key (certificate-path-hostile.yaml:5:10)
        hint: use the absolute host path of the PEM file, such as "/etc/ssl/matrix/privkey.pem"."
    `)
  })

  it('duplicate-key-nested.yaml', () => {
    expect(pin('duplicate-key-nested.yaml')).toMatchInlineSnapshot(`
      "[duplicate_key] ✖ livekit.tcpPort is set twice (first on line 6); each key may appear once in a mapping.
        → at livekit.tcpPort (duplicate-key-nested.yaml:8:3)
        hint: keep one of the two and delete the other."
    `)
  })

  it('duplicate-key.json', () => {
    expect(pin('duplicate-key.json')).toMatchInlineSnapshot(`
      "[duplicate_key] ✖ serverName is set twice (first on line 2); each key may appear once in an object.
        → at serverName (duplicate-key.json:4:3)
        hint: keep one of the two and delete the other."
    `)
  })

  it('duplicate-key.toml', () => {
    expect(pin('duplicate-key.toml')).toMatchInlineSnapshot(`
      "[duplicate_key] ✖ duplicate-key.toml sets the same key or table twice; each key may appear once.
        → at duplicate-key.toml:2:27
        hint: keep one of the two and delete the other."
    `)
  })

  it('duplicate-key.yaml', () => {
    expect(pin('duplicate-key.yaml')).toMatchInlineSnapshot(`
      "[duplicate_key] ✖ serverName is set twice (first on line 1); each key may appear once in a mapping.
        → at serverName (duplicate-key.yaml:5:1)
        hint: keep one of the two and delete the other."
    `)
  })

  it('email-hostile.yaml', () => {
    expect(pin('email-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ tls.letsEncrypt.email must be an email address such as "admin@example.org" (got "admin@example.org\\nBcc: x@example.org").
        → at tls.letsEncrypt.email (email-hostile.yaml:4:12)
        hint: use an address that receives mail, such as "admin@example.org"."
    `)
  })

  it('empty.yaml', () => {
    expect(pin('empty.yaml')).toMatchInlineSnapshot(`
      "[missing_field] ✖ empty.yaml is empty.
        → at empty.yaml:1:1
        hint: start from examples/standalone/deployment.yaml, or run \`messenger-stack init\`."
    `)
  })

  it('gateway-network-hostile.yaml', () => {
    expect(pin('gateway-network-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ gateway.network must be a Docker network name such as "nginx-network" (got "nginx network").
        → at gateway.network (gateway-network-hostile.yaml:4:12)
        hint: use the name of the gateway's Docker network, such as "nginx-network"."
    `)
  })

  it('gateway-placeholder-hostile.yaml', () => {
    expect(pin('gateway-placeholder-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ gateway.activeColorPlaceholder must look like "\${ACTIVE_COLOR}" (got "\${ACTIVE_COLOR}; include /etc/passwd").
        → at gateway.activeColorPlaceholder (gateway-placeholder-hostile.yaml:4:27)
        hint: use a placeholder of the form "\${ACTIVE_COLOR}"."
    `)
  })

  it('gid-zero.toml', () => {
    expect(pin('gid-zero.toml')).toMatchInlineSnapshot(`
      "[out_of_range] ✖ containerUser.gid must not be 0: containers never run as root, so a container escape does not hand over the host (got 0).
        → at containerUser.gid (gid-zero.toml:5:7)
        hint: use the numeric ID of an unprivileged user or group, such as 1000 (\`id -u\` and \`id -g\` print yours)."
    `)
  })

  it('host-brace.yaml', () => {
    expect(pin('host-brace.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ livekit.host must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "{lk}.example.org").
        → at livekit.host (host-brace.yaml:6:9)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-dollar.yaml', () => {
    expect(pin('host-dollar.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ elementWeb.host must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "$host.example.org").
        → at elementWeb.host (host-dollar.yaml:6:9)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-newline.yaml', () => {
    expect(pin('host-newline.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ serverName must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "example.org\\nevil: true").
        → at serverName (host-newline.yaml:1:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-nul.json', () => {
    expect(pin('host-nul.json')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ serverName must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "example.org\\u0000").
        → at serverName (host-nul.json:2:17)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-quote.yaml', () => {
    expect(pin('host-quote.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ livekit.turn.domain must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "turn\\".example.org").
        → at livekit.turn.domain (host-quote.yaml:7:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-semicolon.yaml', () => {
    expect(pin('host-semicolon.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ matrixHost must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "matrix.example.org; return 200").
        → at matrixHost (host-semicolon.yaml:2:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-too-long.yaml', () => {
    expect(pin('host-too-long.yaml')).toMatchInlineSnapshot(`
      "[out_of_range] ✖ serverName must be at most 253 characters long (got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...).
        → at serverName (host-too-long.yaml:1:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org".
      [invalid_format] ✖ serverName must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...).
        → at serverName (host-too-long.yaml:1:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-uppercase.yaml', () => {
    expect(pin('host-uppercase.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ serverName must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "Example.ORG").
        → at serverName (host-uppercase.yaml:1:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('host-with-port.yaml', () => {
    expect(pin('host-with-port.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ matrixHost must be a lowercase DNS name with at least two labels, such as "matrix.example.org" (got "matrix.example.org:8448").
        → at matrixHost (host-with-port.yaml:2:13)
        hint: write the host name in lowercase, without scheme, port, path or trailing dot, such as "matrix.example.org"."
    `)
  })

  it('image-latest.yaml', () => {
    expect(pin('image-latest.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ images.synapse must not use the floating "latest" tag; pin a version so upgrades show up in a diff (got "ghcr.io/element-hq/synapse:latest").
        → at images.synapse (image-latest.yaml:6:12)
        hint: pin a version tag, such as "docker.io/library/redis:7.4-alpine"; never "latest" or no tag."
    `)
  })

  it('image-untagged.yaml', () => {
    expect(pin('image-untagged.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ images.redis must be an image reference pinned by tag, such as "docker.io/library/redis:7.4-alpine" (a digest "@sha256:..." may follow the tag) (got "redis").
        → at images.redis (image-untagged.yaml:6:10)
        hint: pin a version tag, such as "docker.io/library/redis:7.4-alpine"; never "latest" or no tag."
    `)
  })

  it('livekit-key-name-hostile.yaml', () => {
    expect(pin('livekit-key-name-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ livekit.keyName must be 3 to 64 letters, digits, "_" or "-", starting with a letter (got "key$(id)").
        → at livekit.keyName (livekit-key-name-hostile.yaml:6:12)
        hint: use an identifier such as "messenger" (the secret itself lives in the secrets folder)."
    `)
  })

  it('livekit-path-hostile.yaml', () => {
    expect(pin('livekit-path-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ livekit.jwtPath must be a path such as "/livekit/jwt": lowercase segments of a-z, 0-9, "_", "." and "-", no trailing slash (got "/livekit/{jwt}/").
        → at livekit.jwtPath (livekit-path-hostile.yaml:6:12)
        hint: use a path of lowercase segments such as "/livekit/jwt", without a trailing slash."
    `)
  })

  it('malformed-toml-table.toml', () => {
    expect(pin('malformed-toml-table.toml')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ malformed-toml-table.toml is not valid TOML: unexpected character, expected whitespace, . or ].
        → at malformed-toml-table.toml:2:17
        hint: fix the TOML at this position; text values need quotes, such as serverName = "example.org"."
    `)
  })

  it('malformed-toml.toml', () => {
    expect(pin('malformed-toml.toml')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ malformed-toml.toml is not valid TOML: unexpected character, expecting string, number, datetime, boolean, inline array or inline table.
        → at malformed-toml.toml:1:15
        hint: fix the TOML at this position; text values need quotes, such as serverName = "example.org"."
    `)
  })

  it('malformed-yaml-alias.yaml', () => {
    expect(pin('malformed-yaml-alias.yaml')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ malformed-yaml-alias.yaml is not valid YAML: unresolved alias (the anchor must be set before the alias): host.
        → at malformed-yaml-alias.yaml:1:1
        hint: define every anchor (&name) before its alias (*name), and do not use aliases to repeat large values."
    `)
  })

  it('malformed-yaml-indent.yaml', () => {
    expect(pin('malformed-yaml-indent.yaml')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ malformed-yaml-indent.yaml is not valid YAML: all mapping items must start at the same column.
        → at malformed-yaml-indent.yaml:5:1
        hint: indent nested keys with spaces, by the same amount at each level, and close every [ or { that is opened."
    `)
  })

  it('malformed-yaml-quote.yaml', () => {
    expect(pin('malformed-yaml-quote.yaml')).toMatchInlineSnapshot(`
      "[syntax_error] ✖ malformed-yaml-quote.yaml is not valid YAML: missing closing "quote.
        → at malformed-yaml-quote.yaml:6:1
        hint: close the quote or bracket that is left open."
    `)
  })

  it('many-problems.yaml', () => {
    expect(pin('many-problems.yaml')).toMatchInlineSnapshot(`
      "[tls_choice] ✖ Standalone mode terminates TLS itself, but tls is not set.
        → at tls (many-problems.yaml:1:1)
        hint: set tls.letsEncrypt.email for automatic certificates, or tls.certificateFiles for your own.
      [invalid_format] ✖ serviceName must be 2 to 32 lowercase letters, digits or "-", starting with a letter (got "Messenger").
        → at serviceName (many-problems.yaml:1:14)
        hint: use 2 to 32 lowercase letters, digits or "-", such as "messenger".
      [out_of_range] ✖ containerUser.uid must not be 0: containers never run as root, so a container escape does not hand over the host (got 0).
        → at containerUser.uid (many-problems.yaml:4:8)
        hint: use the numeric ID of an unprivileged user or group, such as 1000 (\`id -u\` and \`id -g\` print yours).
      [out_of_range] ✖ containerUser.gid must not be 0: containers never run as root, so a container escape does not hand over the host (got 0).
        → at containerUser.gid (many-problems.yaml:5:8)
        hint: use the numeric ID of an unprivileged user or group, such as 1000 (\`id -u\` and \`id -g\` print yours).
      [node_ip_conflict] ✖ livekit.nodeIp is set and livekit.useExternalIp is true, but LiveKit ignores a fixed node IP while it discovers the external IP.
        → at livekit.useExternalIp (many-problems.yaml:8:18)
        hint: remove livekit.useExternalIp to advertise livekit.nodeIp, or remove livekit.nodeIp to discover the IP over STUN.
      [udp_range] ✖ livekit.udpRange.start (60000) must be below livekit.udpRange.end (50000).
        → at livekit.udpRange.start (many-problems.yaml:10:12)
        hint: swap the two values, or use livekit.udpPort for a single port.
      [invalid_format] ✖ images.synapse must not use the floating "latest" tag; pin a version so upgrades show up in a diff (got "ghcr.io/element-hq/synapse:latest").
        → at images.synapse (many-problems.yaml:13:12)
        hint: pin a version tag, such as "docker.io/library/redis:7.4-alpine"; never "latest" or no tag."
    `)
  })

  it('missing-server-name.yaml', () => {
    expect(pin('missing-server-name.yaml')).toMatchInlineSnapshot(`
      "[missing_field] ✖ serverName is required.
        → at serverName (missing-server-name.yaml:1:1)
        hint: add serverName, the domain of your Matrix IDs, such as "serverName: example.org"."
    `)
  })

  it('node-ip-and-external-ip.yaml', () => {
    expect(pin('node-ip-and-external-ip.yaml')).toMatchInlineSnapshot(`
      "[node_ip_conflict] ✖ livekit.nodeIp is set and livekit.useExternalIp is true, but LiveKit ignores a fixed node IP while it discovers the external IP.
        → at livekit.useExternalIp (node-ip-and-external-ip.yaml:7:18)
        hint: remove livekit.useExternalIp to advertise livekit.nodeIp, or remove livekit.nodeIp to discover the IP over STUN."
    `)
  })

  it('node-ip-invalid.yaml', () => {
    expect(pin('node-ip-invalid.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ livekit.nodeIp must be an IPv4 address such as "203.0.113.10" (got "203.0.113.300").
        → at livekit.nodeIp (node-ip-invalid.yaml:6:11)
        hint: use the public IPv4 address of the host, such as "203.0.113.10", or leave it out to discover it over STUN."
    `)
  })

  it('port-clash-container.yaml', () => {
    expect(pin('port-clash-container.yaml')).toMatchInlineSnapshot(`
      "[port_clash] ✖ TCP port 7881 is used by both livekit.tcpPort and livekit.httpPort in the livekit container.
        → at livekit.tcpPort (port-clash-container.yaml:5:1)
        hint: choose a free TCP port for livekit.tcpPort."
    `)
  })

  it('port-clash-https.yaml', () => {
    expect(pin('port-clash-https.yaml')).toMatchInlineSnapshot(`
      "[port_clash] ✖ TCP port 443 is used by both livekit.tcpPort and nginx https on the host.
        → at livekit.tcpPort (port-clash-https.yaml:6:12)
        hint: choose a free TCP port for livekit.tcpPort."
    `)
  })

  it('port-clash-udp.yaml', () => {
    expect(pin('port-clash-udp.yaml')).toMatchInlineSnapshot(`
      "[port_clash] ✖ UDP port 3478 is used by both livekit.turn.udpPort and livekit.udpPort on the host.
        → at livekit.turn.udpPort (port-clash-udp.yaml:8:14)
        hint: choose a free UDP port for livekit.turn.udpPort."
    `)
  })

  it('postgres-identifier-hostile.yaml', () => {
    expect(pin('postgres-identifier-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ postgres.database must be a lowercase SQL identifier such as "synapse" (got "synapse; DROP DATABASE x").
        → at postgres.database (postgres-identifier-hostile.yaml:6:13)
        hint: use a lowercase SQL identifier such as "synapse"."
    `)
  })

  it('postgres-setting-bad-name.yaml', () => {
    expect(pin('postgres-setting-bad-name.yaml')).toMatchInlineSnapshot(`
      "[invalid_key] ✖ The key "Shared Buffers" in postgres.extraSettings must be a postgresql.conf setting name such as "work_mem".
        → at postgres.extraSettings["Shared Buffers"] (postgres-setting-bad-name.yaml:7:5)
        hint: rename or remove the key "Shared Buffers"."
    `)
  })

  it('postgres-setting-quote.yaml', () => {
    expect(pin('postgres-setting-quote.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ postgres.extraSettings.work_mem must be text without quotes, backslashes or control characters (got "4MB' ; shared_buffers = '1GB").
        → at postgres.extraSettings.work_mem (postgres-setting-quote.yaml:7:15)
        hint: write the setting as a number, true/false, or text without quotes, backslashes or line breaks, such as "4MB"."
    `)
  })

  it('root-is-list.yaml', () => {
    expect(pin('root-is-list.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ The spec must be a mapping (key: value pairs), not a list (got [{"serverName":"example.org"}]).
        → at root-is-list.yaml:1:1
        hint: write the spec as a mapping (key: value pairs)."
    `)
  })

  it('well-known-unserved.yaml', () => {
    expect(pin('well-known-unserved.yaml')).toMatchInlineSnapshot(`
      "[well_known_unserved] ✖ In microservice mode the gateway include serves only matrix.example.org, so nothing of this bundle answers https://example.org/.well-known/matrix/client and /server, which clients, other servers and the MatrixRTC authorisation service need to find matrix.example.org.
        → at matrixHost (well-known-unserved.yaml:3:13)
        hint: set wellKnown.servedBy to 'elsewhere': DEPLOY.md then prints the two documents to publish on the web server of example.org (the gateway's server block for it, or another server); or remove matrixHost."
    `)
  })

  it('well-known-conflict.yaml', () => {
    expect(pin('well-known-conflict.yaml')).toMatchInlineSnapshot(`
      "[well_known_conflict] ✖ wellKnown.servedBy is 'elsewhere', but the Matrix APIs are on the server name example.org itself (matrixHost is not set): this deployment serves that host, so it serves its well-known files too.
        → at wellKnown.servedBy (well-known-conflict.yaml:6:13)
        hint: set matrixHost to the host of this deployment (such as matrix.example.org) and keep the website of example.org where it is, or remove wellKnown.servedBy."
    `)
  })

  it('service-name-hostile.yaml', () => {
    expect(pin('service-name-hostile.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ serviceName must be 2 to 32 lowercase letters, digits or "-", starting with a letter (got "Messenger_1").
        → at serviceName (service-name-hostile.yaml:1:14)
        hint: use 2 to 32 lowercase letters, digits or "-", such as "messenger"."
    `)
  })

  it('stateful-colour-switched.toml', () => {
    expect(pin('stateful-colour-switched.toml')).toMatchInlineSnapshot(`
      "[stateful_colour] ✖ PostgreSQL cannot run in two colours: its data must survive a colour switch, so it is part of the single shared core.
        → at gateway.colourSwitched[0] (stateful-colour-switched.toml:5:1)
        hint: remove "postgres" from gateway.colourSwitched; it stays in the shared core and keeps serving both colours.
      [stateful_colour] ✖ Redis cannot run in two colours: Synapse keeps one connection to one Redis, so it is part of the single shared core.
        → at gateway.colourSwitched[1] (stateful-colour-switched.toml:5:1)
        hint: remove "redis" from gateway.colourSwitched; it stays in the shared core and keeps serving both colours."
    `)
  })

  it('synapse-colour-switched.yaml', () => {
    expect(pin('synapse-colour-switched.yaml')).toMatchInlineSnapshot(`
      "[two_synapse_mains] ✖ Synapse cannot run in two colours: blue and green would be two main processes on one database, which Synapse does not support (IDs are handed out from memory, one process upgrades the schema, caches are not shared).
        → at gateway.colourSwitched[1] (synapse-colour-switched.yaml:6:7)
        hint: remove "synapse" from gateway.colourSwitched; it stays in the shared core and keeps serving both colours."
    `)
  })

  it('tls-both.yaml', () => {
    expect(pin('tls-both.yaml')).toMatchInlineSnapshot(`
      "[tls_choice] ✖ tls sets both letsEncrypt and certificateFiles; standalone mode uses exactly one.
        → at tls (tls-both.yaml:2:1)
        hint: set tls.letsEncrypt.email for automatic certificates, or tls.certificateFiles for your own."
    `)
  })

  it('tls-empty-standalone.yaml', () => {
    expect(pin('tls-empty-standalone.yaml')).toMatchInlineSnapshot(`
      "[tls_choice] ✖ Standalone mode terminates TLS itself, but tls sets neither letsEncrypt nor certificateFiles.
        → at tls (tls-empty-standalone.yaml:2:1)
        hint: set tls.letsEncrypt.email for automatic certificates, or tls.certificateFiles for your own."
    `)
  })

  it('tls-in-microservice.json', () => {
    expect(pin('tls-in-microservice.json')).toMatchInlineSnapshot(`
      "[mode_mismatch] ✖ tls is set, but in microservice mode the external gateway terminates TLS.
        → at tls (tls-in-microservice.json:4:3)
        hint: remove tls, or switch mode to standalone."
    `)
  })

  it('tls-missing-standalone.yaml', () => {
    expect(pin('tls-missing-standalone.yaml')).toMatchInlineSnapshot(`
      "[tls_choice] ✖ Standalone mode terminates TLS itself, but tls is not set.
        → at tls (tls-missing-standalone.yaml:1:1)
        hint: set tls.letsEncrypt.email for automatic certificates, or tls.certificateFiles for your own."
    `)
  })

  it('turn-tls-in-microservice.yaml', () => {
    expect(pin('turn-tls-in-microservice.yaml')).toMatchInlineSnapshot(`
      "[mode_mismatch] ✖ livekit.turn.tlsPort turns on TURN/TLS, which LiveKit advertises only on port 443 of the TURN domain; in microservice mode 443 belongs to the gateway, which would have to route TLS for that name to LiveKit before its own HTTPS servers (an nginx stream block with ssl_preread in front of them) and terminate it there.
        → at livekit.turn.tlsPort (turn-tls-in-microservice.yaml:5:14)
        hint: set livekit.turn.tlsPort to 0 and rely on TURN/UDP (clients behind firewalls that allow only 443 then cannot relay), or use standalone mode, whose nginx routes TURN/TLS on 443 itself."
    `)
  })

  it('turn-tls-domain-shared.yaml', () => {
    expect(pin('turn-tls-domain-shared.yaml')).toMatchInlineSnapshot(`
      "[turn_tls_domain] ✖ TURN/TLS shares port 443 with HTTPS and nginx tells them apart only by the name the client asks for, so the TURN domain needs a name of its own, but matrix.example.org (by default the LiveKit host) is a name this deployment serves over HTTPS.
        → at livekit.turn.tlsPort (turn-tls-domain-shared.yaml:8:14)
        hint: set livekit.turn.domain to a name of its own that points at this host, such as turn.example.org."
    `)
  })

  it('turn-without-ports.yaml', () => {
    expect(pin('turn-without-ports.yaml')).toMatchInlineSnapshot(`
      "[turn_without_ports] ✖ livekit.turn is enabled but both livekit.turn.udpPort and livekit.turn.tlsPort are 0, so TURN would listen nowhere (LiveKit refuses to start).
        → at livekit.turn (turn-without-ports.yaml:6:3)
        hint: set livekit.turn.udpPort (for example 3478), or set livekit.turn.enabled to false."
    `)
  })

  it('udp-port-and-range.yaml', () => {
    expect(pin('udp-port-and-range.yaml')).toMatchInlineSnapshot(`
      "[udp_range] ✖ livekit.udpPort and livekit.udpRange are both set, but LiveKit uses either one UDP mux port or a range.
        → at livekit.udpRange (udp-port-and-range.yaml:7:3)
        hint: remove one of them: udpPort for a single firewall rule, udpRange for many calls at once."
    `)
  })

  it('udp-range-overlaps-turn.yaml', () => {
    expect(pin('udp-range-overlaps-turn.yaml')).toMatchInlineSnapshot(`
      "[port_clash] ✖ UDP port 3478 is used by both livekit.turn.udpPort and livekit.udpRange on the host.
        → at livekit.turn.udpPort (udp-range-overlaps-turn.yaml:5:1)
        hint: choose a free UDP port for livekit.turn.udpPort."
    `)
  })

  it('udp-range-reversed.yaml', () => {
    expect(pin('udp-range-reversed.yaml')).toMatchInlineSnapshot(`
      "[udp_range] ✖ livekit.udpRange.start (60000) must be below livekit.udpRange.end (50000).
        → at livekit.udpRange.start (udp-range-reversed.yaml:7:12)
        hint: swap the two values, or use livekit.udpPort for a single port."
    `)
  })

  it('udp-range-too-wide.yaml', () => {
    expect(pin('udp-range-too-wide.yaml')).toMatchInlineSnapshot(`
      "[port_clash] ✖ UDP port 30000 is used by both livekit.turn.relayRange and livekit.udpRange on the host.
        → at livekit.turn.relayRange (udp-range-too-wide.yaml:5:1)
        hint: choose a free UDP port for livekit.turn.relayRange.
      [udp_range] ✖ livekit.udpRange spans 50001 ports; Docker creates one proxy rule per published port, so more than 20000 make start-up very slow.
        → at livekit.udpRange (udp-range-too-wide.yaml:6:3)
        hint: use a range of at most 20000 ports, such as 50000-60000, or a single livekit.udpPort."
    `)
  })

  it('uid-zero.yaml', () => {
    expect(pin('uid-zero.yaml')).toMatchInlineSnapshot(`
      "[out_of_range] ✖ containerUser.uid must not be 0: containers never run as root, so a container escape does not hand over the host (got 0).
        → at containerUser.uid (uid-zero.yaml:6:8)
        hint: use the numeric ID of an unprivileged user or group, such as 1000 (\`id -u\` and \`id -g\` print yours)."
    `)
  })

  it('unknown-key-nested.yaml', () => {
    expect(pin('unknown-key-nested.yaml')).toMatchInlineSnapshot(`
      "[unknown_key] ✖ synapse.maxUploadSise is not a known field.
        → at synapse.maxUploadSise (unknown-key-nested.yaml:6:3)
        hint: did you mean "maxUploadSize"?"
    `)
  })

  it('unknown-key-no-suggestion.yaml', () => {
    expect(pin('unknown-key-no-suggestion.yaml')).toMatchInlineSnapshot(`
      "[unknown_key] ✖ elementWeb.colourScheme is not a known field.
        → at elementWeb.colourScheme (unknown-key-no-suggestion.yaml:6:3)
        hint: known fields here: enabled, host, brand, defaultTheme, disableGuests, disableCustomUrls, extraConfig."
    `)
  })

  it('unknown-key-top.yaml', () => {
    expect(pin('unknown-key-top.yaml')).toMatchInlineSnapshot(`
      "[unknown_key] ✖ livekti is not a known field.
        → at livekti (unknown-key-top.yaml:5:1)
        hint: did you mean "livekit"?"
    `)
  })

  it('wrong-enum-mode.yaml', () => {
    expect(pin('wrong-enum-mode.yaml')).toMatchInlineSnapshot(`
      "[invalid_value] ✖ mode must be one of "standalone", "microservice" (got "cluster").
        → at mode (wrong-enum-mode.yaml:1:7)
        hint: choose one of "standalone", "microservice"."
    `)
  })

  it('wrong-size.yaml', () => {
    expect(pin('wrong-size.yaml')).toMatchInlineSnapshot(`
      "[invalid_format] ✖ synapse.maxUploadSize must be a size such as "50M", "512K" or "1G" (powers of 1024) (got "50MB").
        → at synapse.maxUploadSize (wrong-size.yaml:6:18)
        hint: write a size such as "50M", "512K" or "1G"."
    `)
  })

  it('wrong-type-boolean.yaml', () => {
    expect(pin('wrong-type-boolean.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ synapse.presence must be true or false, not text (got "maybe").
        → at synapse.presence (wrong-type-boolean.yaml:6:13)
        hint: write synapse.presence as true or false."
    `)
  })

  it('wrong-type-port-fraction.yaml', () => {
    expect(pin('wrong-type-port-fraction.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ livekit.tcpPort must be a whole number, not a number (got 7881.5).
        → at livekit.tcpPort (wrong-type-port-fraction.yaml:6:12)
        hint: write livekit.tcpPort as a whole number."
    `)
  })

  it('wrong-type-section.yaml', () => {
    expect(pin('wrong-type-section.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ synapse must be a mapping (key: value pairs), not a list (got ["httpPort",8008]).
        → at synapse (wrong-type-section.yaml:5:1)
        hint: write synapse as a mapping (key: value pairs)."
    `)
  })

  it('wrong-type-toml.toml', () => {
    expect(pin('wrong-type-toml.toml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ containerUser must be a mapping (key: value pairs), not text (got "1000:1000").
        → at containerUser (wrong-type-toml.toml:2:17)
        hint: write containerUser as a mapping (key: value pairs)."
    `)
  })

  it('wrong-type-uid.yaml', () => {
    expect(pin('wrong-type-uid.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ containerUser.uid must be a number, not text (got "abc").
        → at containerUser.uid (wrong-type-uid.yaml:6:8)
        hint: write containerUser.uid as a number."
    `)
  })

  it('wrong-type-yaml11-no.yaml', () => {
    expect(pin('wrong-type-yaml11-no.yaml')).toMatchInlineSnapshot(`
      "[invalid_type] ✖ serviceName must be text, not true/false (got false).
        → at serviceName (wrong-type-yaml11-no.yaml:2:14)
        hint: write serviceName as text; YAML reads bare yes, no, on, off, y and n as true/false, so put such words in quotes ("no")."
    `)
  })

  it('covers every fixture, and at least 40 of them', () => {
    const all = readdirSync(directory).sort()
    expect(all.length).toBeGreaterThanOrEqual(40)
    expect([...pinned].sort()).toEqual(all)
  })
})
