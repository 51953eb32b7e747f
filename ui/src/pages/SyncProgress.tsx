import { useEffect, useState } from 'react';
import { api, errorText } from '../api';
import { Notice } from '../components/Field';
import type { ConnectionProgress } from '../types';

/** How often the page asks while items are pending: often enough to see the bar move, rare enough to cost the server nothing. */
const POLL_MS = 2_000;

/**
 * A connection's sync progress as a bar: "N of M synced, X failed, R/s, about T left". It asks
 * again every 2 s while anything is pending, and stops once nothing is or the page closes
 * (remount it, e.g. after Sync Now, to start again).
 */
export function SyncProgress({ connectionId }: { connectionId: string }) {
  const [progress, setProgress] = useState<ConnectionProgress | undefined>();
  const [error, setError] = useState('');

  useEffect(() => {
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const p = await api.progress(connectionId);
        if (closed) return;
        setProgress(p);
        setError('');
        if (p.pending > 0) timer = setTimeout(() => void read(), POLL_MS);
      } catch (e) {
        if (!closed) setError(errorText(e));
      }
    };
    void read();
    return () => {
      closed = true;
      clearTimeout(timer);
    };
  }, [connectionId]);

  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">Sync progress</h2>
      {error && <Notice kind="error">{error}</Notice>}
      {!progress && !error && <p role="status">Reading the progress…</p>}
      {progress && <ProgressView p={progress} />}
    </section>
  );
}

function ProgressView({ p }: { p: ConnectionProgress }) {
  if (p.total === 0) return <p className="help">Nothing to sync yet: records appear here once the platform sends them.</p>;
  const share = (n: number) => `${(100 * n) / p.total}%`;
  return (
    <>
      <div className="progress" role="progressbar" aria-label="Sync progress" aria-valuemin={0} aria-valuemax={p.total} aria-valuenow={p.done} aria-valuetext={summary(p)}>
        <div className="progress-done" style={{ width: share(p.done) }} />
        <div className="progress-failed" style={{ width: share(p.failed) }} />
      </div>
      <p data-testid="progress-summary" className="progress-summary">
        {summary(p)}
      </p>
      {p.pending > 0 && (
        <p className="help">
          {p.due.toLocaleString()} due now, {p.waiting.toLocaleString()} waiting for the update interval or a retry
          {p.retrying > 0 && ` (${p.retrying.toLocaleString()} retrying after a failed attempt)`}.
        </p>
      )}
      {p.paused && (
        <Notice kind="info">
          Paused: {p.paused.reason}
          {p.paused.until && ` Resumes at ${new Date(p.paused.until).toLocaleString()}.`}
        </Notice>
      )}
    </>
  );
}

/** "N of M synced, X failed", then the rate and the time left while something is moving. */
function summary(p: ConnectionProgress): string {
  const parts = [`${p.done.toLocaleString()} of ${p.total.toLocaleString()} synced`, `${p.failed.toLocaleString()} failed`];
  if (p.pending > 0 && p.ratePerSecond > 0) parts.push(`${rate(p.ratePerSecond)}/s`);
  if (p.etaSeconds !== null) parts.push(`about ${duration(p.etaSeconds)} left`);
  return parts.join(', ');
}

const rate = (r: number) => (r >= 10 ? Math.round(r).toLocaleString() : r.toFixed(1));

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
