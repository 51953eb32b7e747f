import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { HttpLimits } from '../config/index.js';
import { AppError } from '../errors.js';

/**
 * Fastify and Node server options for the timeouts, so that a client trickling its headers
 * or body cannot hold a connection (and its buffers) for minutes.
 */
export function serverTimeouts(limits: HttpLimits) {
  return {
    // The whole request, headers and body, must have arrived by then (Node answers 408).
    requestTimeout: limits.requestTimeoutMs,
    // A socket with no traffic either way for this long is closed.
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    maxRequestsPerSocket: limits.maxRequestsPerSocket,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default, which would let a
      // 1 s timeout run for 31 s); a quarter of the shorter one keeps the overshoot at 25%.
      connectionsCheckingInterval: checkingInterval(limits),
    },
  };
}

function checkingInterval(limits: HttpLimits): number {
  const shortest = Math.min(...[limits.headersTimeoutMs, limits.requestTimeoutMs].filter((ms) => ms > 0));
  return Math.min(5_000, Math.max(100, Math.floor(shortest / 4)));
}

/**
 * Connections beyond the cap are closed as they arrive, before any byte is read. Node's headers
 * timeout only starts with the first byte, so a connection that sends nothing at all would hold
 * a place under the cap until the idle timeout: it is closed after the headers timeout instead.
 */
export function guardConnections(app: FastifyInstance, limits: HttpLimits): void {
  app.server.maxConnections = limits.maxConnections;
  app.server.on('connection', (socket: Socket) => {
    const silent = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, limits.headersTimeoutMs);
    silent.unref();
    socket.once('close', () => clearTimeout(silent));
  });
}

/**
 * Requests that never reach Fastify (unparseable HTTP, oversized headers, timeouts) get the
 * same error body as the rest of the API, then the connection is closed, as Node does.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const e =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('request_timeout')
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('headers_too_large')
        : new AppError('validation_failed', 'The HTTP request is malformed');
  // A response already under way cannot be followed by another on the same connection.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify(e.toBody());
    socket.write(
      `HTTP/1.1 ${e.status} ${STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

/**
 * A request that reaches a server already closing (the next one on a busy keep-alive
 * connection) gets 503 in the usual form, with Connection: close, instead of Fastify's own body
 * (the app sets return503OnClosing: false so that this hook answers it).
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_req, reply) => {
    if (!closing) return;
    const e = new AppError('unavailable', 'The server is shutting down; retry shortly');
    // Sent as is: a route's own 503 schema (/healthz's) does not describe this body.
    return reply.code(e.status).header('connection', 'close').type('application/json; charset=utf-8').serializer(JSON.stringify).send(e.toBody());
  });
}
