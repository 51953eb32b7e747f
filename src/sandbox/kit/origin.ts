/** The root URL of the server that received a request, e.g. http://127.0.0.1:3000. */
export function requestOrigin(req: { protocol: string; host: string }): string {
  return `${req.protocol}://${req.host}`;
}
