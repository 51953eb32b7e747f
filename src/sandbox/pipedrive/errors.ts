import type { FastifyReply } from 'fastify';
import { ERROR_INFO } from './facts.js';

/** Pipedrive's error body, the same in v1 and v2. */
export function errorBody(message: string) {
  return { success: false, error: message, error_info: ERROR_INFO, data: null, additional_data: null };
}

/** The 401 body carries `errorCode`, unlike the others. */
export function unauthorizedBody() {
  return { success: false, error: 'unauthorized access', errorCode: 401, error_info: ERROR_INFO };
}

export function fail(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).send(errorBody(message));
}

/** A request that cannot be served, raised deep in parsing and answered by the route. */
export class PipedriveError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new PipedriveError(400, message);
export const notFound = (message: string) => new PipedriveError(404, message);
