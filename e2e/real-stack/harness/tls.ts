import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** The test CA and a certificate for the public hosts (TEST VALUES, made fresh per run). */
export interface TestCertificates {
  readonly caCert: string
  readonly cert: string
  readonly key: string
}

/** Makes a throw-away CA and a server certificate for `hosts` with openssl (EC P-256, 2 days). */
export function makeTestCertificates(openssl: string, dir: string, hosts: readonly string[]): TestCertificates {
  mkdirSync(dir, { recursive: true })
  const p = (f: string) => join(dir, f)
  const run = (args: string[]) => execFileSync(openssl, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 })
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    p('ca.key'),
    '-out',
    p('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=messenger-stack real-stack test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  run(['req', ...ec, '-keyout', p('privkey.pem'), '-out', p('server.csr'), '-subj', `/CN=${hosts[0]}`])
  writeFileSync(
    p('server.ext'),
    `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  )
  run([
    'x509',
    '-req',
    '-in',
    p('server.csr'),
    '-CA',
    p('ca.pem'),
    '-CAkey',
    p('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-out',
    p('cert.pem'),
    '-extfile',
    p('server.ext'),
  ])
  // nginx wants the chain; a leaf signed directly by the CA is the whole chain.
  execFileSync('/bin/sh', ['-c', `cat "${p('cert.pem')}" > "${p('fullchain.pem')}"`])
  return { caCert: p('ca.pem'), cert: p('fullchain.pem'), key: p('privkey.pem') }
}
