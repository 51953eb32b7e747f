import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, detailsByPath, errorText } from '../api';
import { Select } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import { navigate } from '../router';
import type { Connection, SyncLogEntry, SyncLogPage } from '../types';
import { LogDetail } from './LogDetail';

const FILTERS = ['connectionId', 'clientId', 'status', 'operation', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const PAGE_SIZE = '25';

function filtersFrom(search: string): Filters {
  const q = new URLSearchParams(search);
  return Object.fromEntries(FILTERS.map((f) => [f, q.get(f) ?? ''])) as Filters;
}

/** datetime-local (the browser's local time) <-> the API's ISO instants. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : '');
const toLocal = (iso: string) => {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** Sync logs (Y8, U3): newest first, with filters, pages and an entry's detail. */
export function SyncLogsPage({ search }: { search: string }) {
  const { crms } = useApp();
  const applied = filtersFrom(search);
  const [draft, setDraft] = useState<Filters>(applied);
  const [connections, setConnections] = useState<Connection[]>([]);
  const [page, setPage] = useState<SyncLogPage | undefined>();
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<SyncLogEntry | undefined>();
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const detail = useRef<HTMLElement>(null);

  useEffect(() => {
    api.connections().then(setConnections, () => undefined);
  }, []);

  const load = useCallback(
    (cursor: string | undefined) => {
      const q: Record<string, string> = { limit: PAGE_SIZE };
      for (const f of FILTERS) if (applied[f]) q[f] = applied[f];
      if (cursor) q.cursor = cursor;
      setError('');
      api.syncLogs(q).then(
        (p) => {
          setPage(p);
          setFieldErrors({});
        },
        (e: unknown) => {
          setFieldErrors(detailsByPath(e, 'query.'));
          setError(errorText(e));
        },
      );
    },
    [search],
  );
  useEffect(() => {
    setCursors([]);
    setSelected(undefined);
    load(undefined);
  }, [load]);
  useEffect(() => detail.current?.focus(), [selected]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) {
      const v = f === 'from' || f === 'to' ? draft[f] : draft[f].trim();
      if (v) q.set(f, v);
    }
    navigate(`/sync-logs${q.size ? `?${q}` : ''}`);
  };
  const setF = (f: keyof Filters, v: string) => setDraft({ ...draft, [f]: v });
  const next = () => {
    if (!page?.nextCursor) return;
    setCursors([...cursors, page.nextCursor]);
    load(page.nextCursor);
  };
  const previous = () => {
    const rest = cursors.slice(0, -1);
    setCursors(rest);
    load(rest[rest.length - 1]);
  };

  return (
    <>
      <h1>Sync logs</h1>
      <form className="filters card" onSubmit={apply} aria-label="Filters">
        <Select
          label="Connection"
          value={draft.connectionId}
          onChange={(v) => setF('connectionId', v)}
          options={[{ value: '', label: 'All' }, ...connections.map((c) => ({ value: c.id, label: `${crmName(crms, c.crm)}${c.status === 'disconnected' ? ' (disconnected)' : ''}` }))]}
        />
        <Select
          label="Status"
          value={draft.status}
          onChange={(v) => setF('status', v)}
          options={[{ value: '', label: 'Any' }, ...(['pending', 'success', 'failed', 'skipped'] as const).map((s) => ({ value: s, label: s }))]}
        />
        <Field label="Operation" value={draft.operation} onChange={(e) => setF('operation', e.target.value)} placeholder="e.g. create_contact" error={fieldErrors['operation']} />
        <Field label="Client id" value={draft.clientId} onChange={(e) => setF('clientId', e.target.value)} error={fieldErrors['clientId']} />
        <Field label="From" type="datetime-local" value={toLocal(draft.from)} onChange={(e) => setF('from', toIso(e.target.value))} error={fieldErrors['from']} />
        <Field label="To" type="datetime-local" value={toLocal(draft.to)} onChange={(e) => setF('to', toIso(e.target.value))} error={fieldErrors['to']} />
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={() => navigate('/sync-logs')}>
            Clear
          </button>
          <button type="button" onClick={() => load(cursors[cursors.length - 1])}>
            Refresh
          </button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!page && !error && <p role="status">Loading the sync logs…</p>}
      {page && page.items.length === 0 && <p role="status">No sync log entries match. Entries appear as clients and conversations are sent to a connected CRM.</p>}
      {page && page.items.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Sync log entries">
          <table className="logs">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">CRM</th>
                <th scope="col">Operation</th>
                <th scope="col">Client</th>
                <th scope="col">Status</th>
                <th scope="col">Error</th>
                <th scope="col">
                  <span className="sr-only">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((l) => (
                <tr key={l.id} aria-selected={selected?.id === l.id}>
                  <td>{new Date(l.time).toLocaleString()}</td>
                  <td>{crmName(crms, l.crm)}</td>
                  <td>
                    {l.operation}
                    {l.direction === 'inbound' && <span className="small"> (from the CRM)</span>}
                  </td>
                  <td>{l.clientId ?? '—'}</td>
                  <td>
                    <span className={`pill pill-${l.status}`}>{l.status}</span>
                  </td>
                  <td className="msg">{l.status === 'failed' || l.status === 'skipped' ? l.message : ''}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => setSelected(l)}>
                      Details<span className="sr-only"> of entry {l.id}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (
        <nav className="pager" aria-label="Pages">
          <button type="button" onClick={previous} disabled={cursors.length === 0}>
            Newer
          </button>
          <span>Page {cursors.length + 1}</span>
          <button type="button" onClick={next} disabled={!page.nextCursor}>
            Older
          </button>
        </nav>
      )}
      {selected && <LogDetail ref={detail} entry={selected} crm={crmName(crms, selected.crm)} onClose={() => setSelected(undefined)} />}
    </>
  );
}
