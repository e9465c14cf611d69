// The deployment under review, in TypeScript: hover any field for its description.
import { defineDeployment } from '@messenger-stack/config-schema'

export const spec = defineDeployment({
  serviceName: 'chat',
  serverName: 'example.com',
  matrixHost: 'matrix.example.com',
  containerUser: { uid: 1001, gid: 1001 },
  tls: { letsEncrypt: { email: 'ops@example.com' } },
  livekit: { nodeIp: '198.51.100.7' },
  elementWeb: { brand: 'Example Chat' },
  backups: { encryption: 'none' },
})
