/** Polls `probe` until it yields a value (or `timeoutMs` passes), and says how long that took. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
