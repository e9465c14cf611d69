// A deliberate TLS conflict (both sources): this file must not compile.
import { defineDeployment } from '@messenger-stack/config-schema'

export const spec = defineDeployment({
  serverName: 'example.org',
  tls: { letsEncrypt: { email: 'admin@example.org' }, certificateFiles: { certificate: '/c.pem', key: '/k.pem' } },
})
