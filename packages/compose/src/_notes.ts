/**
 * One line per service for the comment above `services:` in the rendered files: what the
 * container may write (read-only root filesystem plus these tmpfs/volumes) and how it is
 * health-checked, so an operator reading the file sees why each exception exists.
 */
export const SERVICE_NOTES: Readonly<Record<string, string>> = {
  synapse: 'synapse: writes its data volume (media) and tmpfs /tmp (upload spool); health: curl /health.',
  postgres:
    'postgres: writes its data volume; tmpfs /var/run/postgresql (socket) and /tmp (nss_wrapper for an arbitrary UID); health: pg_isready.',
  redis: 'redis: no persistence, tmpfs /data as working folder; health: redis-cli ping, password from a file via REDISCLI_AUTH.',
  livekit: 'livekit: writes nothing; publishes its ICE/TCP, media and TURN ports; health: wget / (busybox).',
  'lk-jwt-service':
    'lk-jwt-service: writes nothing; no shell in the image: health is its bundled /lk-jwt-service-healthcheck, usable only on port 8080 with LIVEKIT_JWT_BIND empty (else off).',
  'element-web':
    'element-web: tmpfs /etc/nginx/conf.d, /tmp, /var/cache/nginx (its entrypoint renders config there); health: wget /config.json.',
  nginx: 'nginx: tmpfs /tmp and /var/cache/nginx; reloads every 6 h for renewed certificates; health: master process alive.',
  certbot: 'certbot: writes the letsencrypt and webroot volumes, tmpfs /tmp; renews every 12 h; health: certificate file present.',
}
