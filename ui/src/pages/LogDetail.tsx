import type { Ref } from 'react';
import type { SyncLogEntry } from '../types';

/** One entry: the CRM's own message and what a person can do about it (U4). */
export function LogDetail({ entry, crm, onClose, ref }: { entry: SyncLogEntry; crm: string; onClose: () => void; ref: Ref<HTMLElement> }) {
  return (
    <section className="card detail" ref={ref} tabIndex={-1} aria-labelledby="detail-title">
      <h2 id="detail-title">
        {entry.operation} · <span className={`pill pill-${entry.status}`}>{entry.status}</span>
      </h2>
      <dl className="facts">
        <dt>Time</dt>
        <dd>{new Date(entry.time).toLocaleString()}</dd>
        <dt>CRM</dt>
        <dd>{crm || '—'}</dd>
        <dt>Direction</dt>
        <dd>{entry.direction === 'outbound' ? 'To the CRM' : 'From the CRM'}</dd>
        <dt>Client</dt>
        <dd>{entry.clientId ?? '—'}</dd>
        <dt>What</dt>
        <dd>{entry.entityType ? `${entry.entityType} ${entry.entityId ?? ''}` : '—'}</dd>
        <dt>CRM record</dt>
        <dd>{entry.crmRecordId ?? '—'}</dd>
        <dt>Attempts</dt>
        <dd>{entry.attempts}</dd>
        <dt>Message from the CRM</dt>
        <dd className={entry.status === 'failed' ? 'error' : undefined}>{entry.message ?? '—'}</dd>
        <dt>What to do</dt>
        <dd>{entry.action ?? (entry.status === 'success' ? 'Nothing: it arrived.' : '—')}</dd>
      </dl>
      <button type="button" onClick={onClose}>
        Close details
      </button>
    </section>
  );
}
