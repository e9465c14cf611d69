/**
 * The call page the browser loads (served by the browser driver itself at a path of the
 * public host, so that it is a secure https origin): livekit-client's own UMD build, and a
 * few functions the test calls. Every RTCPeerConnection is tracked so that the test reads
 * its real stats: inbound bytes and decoded frames, and the selected ICE candidate pair.
 */
export const MEDIA_PAGE_PATH = '/__real-stack-test/call.html'
export const LIVEKIT_CLIENT_PATH = '/__real-stack-test/livekit-client.umd.js'

export const MEDIA_PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>real-stack call</title></head>
<body>
<video id="remote" autoplay muted playsinline></video>
<canvas id="frame"></canvas>
<script>
// Keep every peer connection the SDK makes, to read its stats. With window.__turnsOnly, keep
// only the TURN/TLS URLs (turns:) of the ICE servers LiveKit sends, as a network that lets
// nothing but TLS on 443 through would.
window.__pcs = []
window.__turnsOnly = false
const onlyTurns = (config) =>
  !window.__turnsOnly || !config || !config.iceServers
    ? config
    : {
        ...config,
        iceServers: config.iceServers
          .map((server) => ({ ...server, urls: [].concat(server.urls).filter((url) => url.startsWith('turns:')) }))
          .filter((server) => server.urls.length > 0),
      }
const NativePC = window.RTCPeerConnection
window.RTCPeerConnection = class extends NativePC {
  constructor(config, ...rest) {
    super(onlyTurns(config), ...rest)
    window.__pcs.push(this)
  }
  setConfiguration(config) {
    return super.setConfiguration(onlyTurns(config))
  }
}
</script>
<script src="${LIVEKIT_CLIENT_PATH}"></script>
<script>
window.joinCall = async ({ url, token, publish, relayOnly, turnsOnly }) => {
  const { Room, RoomEvent } = window.LivekitClient
  window.__turnsOnly = turnsOnly === true
  const room = new Room({ adaptiveStream: false, dynacast: false })
  window.__room = room
  window.__videoReceived = new Promise((resolve) => {
    room.on(RoomEvent.TrackSubscribed, (track) => {
      if (track.kind === 'video') {
        track.attach(document.getElementById('remote'))
        resolve(true)
      }
    })
  })
  await room.connect(url, token, { autoSubscribe: true, ...(relayOnly ? { rtcConfig: { iceTransportPolicy: 'relay' } } : {}) })
  if (publish) await room.localParticipant.enableCameraAndMicrophone()
  return room.localParticipant.identity
}

window.waitVideo = () => window.__videoReceived

window.mediaStats = async () => {
  const out = { videoBytes: 0, videoFrames: 0, audioBytes: 0, pairs: [] }
  for (const pc of window.__pcs) {
    if (pc.connectionState === 'closed') continue
    const stats = await pc.getStats()
    const byId = new Map()
    stats.forEach((s) => byId.set(s.id, s))
    stats.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        out.videoBytes += s.bytesReceived || 0
        out.videoFrames += s.framesDecoded || 0
      }
      if (s.type === 'inbound-rtp' && s.kind === 'audio') out.audioBytes += s.bytesReceived || 0
      if (s.type === 'transport' && s.selectedCandidatePairId) {
        const pair = byId.get(s.selectedCandidatePairId)
        const l = pair && byId.get(pair.localCandidateId)
        const r = pair && byId.get(pair.remoteCandidateId)
        if (l && r) {
          out.pairs.push({
            local: { type: l.candidateType, protocol: l.protocol, relayProtocol: l.relayProtocol, address: l.address },
            remote: { type: r.candidateType, protocol: r.protocol, address: r.address, port: r.port },
            bytesSent: pair.bytesSent,
            bytesReceived: pair.bytesReceived,
          })
        }
      }
    })
  }
  return out
}

window.grabFrame = () => {
  const video = document.getElementById('remote')
  const canvas = document.getElementById('frame')
  canvas.width = video.videoWidth
  canvas.height = video.videoHeight
  canvas.getContext('2d').drawImage(video, 0, 0)
  return { width: video.videoWidth, height: video.videoHeight, png: canvas.toDataURL('image/png') }
}

window.leaveCall = async () => {
  if (window.__room) await window.__room.disconnect()
}
</script>
</body></html>
`
