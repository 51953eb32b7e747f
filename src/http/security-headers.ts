import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The admin UI is Vite's build: one module script and one stylesheet from /assets, no inline
 * code (test/http/security-headers.test.ts checks the built index.html), and it only calls
 * this server. React's `style` props are set through the DOM, which style-src does not govern.
 */
const UI_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** JSON is never a document to render: nothing may load from it, nothing may frame it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

/**
 * The sandbox's consent pages and record views carry their styles inline and have no scripts.
 * form-action stays open: a consent form posts here and is redirected to the app's callback,
 * which may be another origin (PUBLIC_URL).
 */
const SANDBOX_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

const API = /^\/(v1|healthz|openapi\.json)(\/|\?|$)/;
const SANDBOX = /^\/sandbox(\/|\?|$)/;

export function policyFor(url: string): string {
  if (API.test(url)) return API_POLICY;
  if (SANDBOX.test(url)) return SANDBOX_POLICY;
  return UI_POLICY;
}

/** Every answer, errors included: a CSP for what it is, no framing, no MIME sniffing, no referrer leaks. */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply) => setSecurityHeaders(reply, req.url));
}

/** For answers sent outside the hooks (the router's refusals of a URL). */
export function setSecurityHeaders(reply: FastifyReply, url: string): void {
  reply.header('content-security-policy', policyFor(url));
  reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
}
