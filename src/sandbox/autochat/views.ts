import type { ActivityRow, ClientRow, FieldRow, UserRow, WebhookRow } from './model.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const clientView = (c: ClientRow) => ({
  id: c.id, object: 'client', name: c.name, email: c.email, phone: c.phone, company: c.company, owner_id: c.owner_id,
  external_id: c.external_id, fields: c.fields, created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
});

export const activityView = (a: ActivityRow) => ({
  id: a.id, object: 'activity', client_id: a.client_id, type: a.type, title: a.title, body: a.body, due_at: a.due_at,
  occurred_at: a.occurred_at, assignee_id: a.assignee_id, idempotency_key: a.idempotency_key, created_at: iso(a.createdAt), updated_at: iso(a.updatedAt),
});

export const userView = (u: UserRow) => ({ id: u.id, object: 'user', name: u.name, email: u.email, role: u.role, created_at: iso(u.createdAt) });

export const fieldView = (f: FieldRow) => ({ id: f.id, object: 'field', key: f.key, label: f.label, type: f.type, options: f.options, created_at: iso(f.createdAt) });

/** The signing secret is shown once, in the answer to the create call. */
export const webhookView = (w: WebhookRow, withSecret = false) => ({
  id: w.id, object: 'webhook', url: w.url, events: w.events, created_at: iso(w.createdAt), ...(withSecret ? { secret: w.secret } : {}),
});
