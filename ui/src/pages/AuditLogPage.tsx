import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, detailsByPath, errorText } from '../api';
import { Select } from '../components/Choice';
import { Field, Notice } from '../components/Field';
import { crmName, useApp } from '../context';
import { navigate } from '../router';
import type { AuditEntry, AuditPage, Connection } from '../types';

const FILTERS = ['connectionId', 'actor', 'action', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const PAGE_SIZE = '25';

/** What the server records (src/connections, src/workspaces): offered as the action filter. */
const ACTIONS = [
  'connection.connected',
  'connection.tested',
  'connection.settings_changed',
  'connection.activated',
  'connection.deactivated',
  'connection.disconnected',
  'connection.needs_reconnect',
  'api_key.created',
  'api_key.rotated',
  'api_key.revoked',
  'user.added',
  'workspace.created',
];

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

/** An entry's details as `key: value` pairs, short enough for a table cell. */
const detailText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : Array.isArray(v) ? v.join(', ') : JSON.stringify(v)}`)
    .join('; ');

/** Who changed what, when (owner and Settings Admins): newest first, with filters and pages, in the style of the sync logs. */
export function AuditLogPage({ search }: { search: string }) {
  const { crms } = useApp();
  const applied = filtersFrom(search);
  const [draft, setDraft] = useState<Filters>(applied);
  const [connections, setConnections] = useState<Connection[]>([]);
  const [page, setPage] = useState<AuditPage | undefined>();
  const [cursors, setCursors] = useState<string[]>([]);
  const [error, setError] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    api.connections().then(setConnections, () => undefined);
  }, []);

  const load = useCallback(
    (cursor: string | undefined) => {
      const q: Record<string, string> = { limit: PAGE_SIZE };
      for (const f of FILTERS) if (applied[f]) q[f] = applied[f];
      if (cursor) q.cursor = cursor;
      setError('');
      api.audit(q).then(
        (p) => {
          setPage(p);
          setFieldErrors({});
        },
        (e: unknown) => {
          setPage(undefined);
          setFieldErrors(detailsByPath(e, 'query.'));
          setError(errorText(e));
        },
      );
    },
    [search],
  );
  useEffect(() => {
    // The form shows what is applied: after Clear, or Back in the browser, too.
    setDraft(filtersFrom(search));
    setCursors([]);
    load(undefined);
  }, [load]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const f of FILTERS) {
      const v = f === 'from' || f === 'to' ? draft[f] : draft[f].trim();
      if (v) q.set(f, v);
    }
    navigate(`/audit-log${q.size ? `?${q}` : ''}`);
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
  const targetName = (a: AuditEntry) => {
    const c = a.action.startsWith('connection.') ? connections.find((x) => x.id === a.target) : undefined;
    return c ? `${crmName(crms, c.crm)} (${c.id})` : (a.target ?? '—');
  };

  return (
    <>
      <h1>Audit log</h1>
      <form className="filters card" onSubmit={apply} aria-label="Filters">
        <Select
          label="Connection"
          value={draft.connectionId}
          onChange={(v) => setF('connectionId', v)}
          options={[{ value: '', label: 'All' }, ...connections.map((c) => ({ value: c.id, label: `${crmName(crms, c.crm)}${c.status === 'disconnected' ? ' (disconnected)' : ''}` }))]}
        />
        <Select label="Action" value={draft.action} onChange={(v) => setF('action', v)} options={[{ value: '', label: 'Any' }, ...ACTIONS.map((a) => ({ value: a, label: a }))]} />
        <Field label="Who" value={draft.actor} onChange={(e) => setF('actor', e.target.value)} placeholder="e-mail, user:… or api_key:…" error={fieldErrors['actor']} />
        <Field label="From" type="datetime-local" value={toLocal(draft.from)} onChange={(e) => setF('from', toIso(e.target.value))} error={fieldErrors['from']} />
        <Field label="To" type="datetime-local" value={toLocal(draft.to)} onChange={(e) => setF('to', toIso(e.target.value))} error={fieldErrors['to']} />
        <div className="actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={() => navigate('/audit-log')}>
            Clear
          </button>
          <button type="button" onClick={() => load(cursors[cursors.length - 1])}>
            Refresh
          </button>
        </div>
      </form>
      {error && <Notice kind="error">{error}</Notice>}
      {!page && !error && <p role="status">Loading the audit log…</p>}
      {page && page.items.length === 0 && <p role="status">No audit entries match. Entries appear as people and API keys connect, configure and disconnect CRMs and manage keys.</p>}
      {page && page.items.length > 0 && (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Audit entries">
          <table className="logs">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((a) => (
                <tr key={a.id} data-audit-id={a.id}>
                  <td>{new Date(a.time).toLocaleString()}</td>
                  <td title={a.actor}>{a.actorName}</td>
                  <td>{a.action}</td>
                  <td>{targetName(a)}</td>
                  <td className="small">{detailText(a.details)}</td>
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
    </>
  );
}
