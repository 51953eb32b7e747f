import type { Server } from 'node:http';

/**
 * The origins at which this server answers: its PUBLIC_URL and the address it listens on
 * (loopback for a wildcard address). A connection to the sandbox mounted here must name one
 * of them; read when asked, since the port is known only once the server listens.
 */
export function ownOrigins(server: Server, publicUrl: string): string[] {
  const origins = [new URL(publicUrl).origin];
  const a = server.address();
  if (a && typeof a === 'object') {
    const hosts = a.address === '0.0.0.0' ? ['127.0.0.1'] : a.address === '::' ? ['127.0.0.1', '[::1]'] : [a.family === 'IPv6' ? `[${a.address}]` : a.address];
    for (const host of hosts) origins.push(`http://${host}:${a.port}`);
  }
  return origins;
}
