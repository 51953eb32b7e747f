import pino, { type Logger } from 'pino';

/**
 * Paths that may hold a secret anywhere in a log line. Connectors and the vault log
 * objects with these names; pino replaces their values before anything is written.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.clientSecret',
  '*.client_secret',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.secret',
  '*.token',
  'credentials',
  '*.credentials',
];

/**
 * Query parameters whose values are secrets: OAuth's code and state (a code, with the PKCE
 * verifier we hold, becomes tokens) and anything named like a credential.
 */
const SECRET_PARAM = /^(code|state|.*(token|secret|password|passwd|api[-_]?key|credential|signature).*)$/i;

/** A request URL as logged: secret-like query values replaced, the rest kept for debugging. */
export function redactQuery(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of new Set(params.keys())) if (SECRET_PARAM.test(name)) params.set(name, '[redacted]');
  return `${url.slice(0, q)}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`;
}

interface LoggedRequest {
  method?: string;
  url?: string;
  headers?: Record<string, unknown>;
  host?: string;
  ip?: string;
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** Fastify's request serializer, with the URL's secrets taken out (Fastify prefers ours to its own). */
const serializers = {
  req: (req: LoggedRequest) => ({
    method: req.method,
    url: req.url === undefined ? undefined : redactQuery(req.url),
    version: req.headers?.['accept-version'],
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, serializers, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}
