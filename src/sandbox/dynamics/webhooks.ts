import { randomUUID } from 'node:crypto';
import type { OutgoingRequest, WebhookHub, WebhookSubscription } from '../kit/webhooks.js';
import { BUSINESS_UNIT_ID, ORGANIZATION_ID, ORGANIZATION_NAME, SEED_USERS } from './facts.js';
import { entityByLogicalName } from './schema/index.js';
import { isLookupValue, type ChangeEvent, type FieldValue, type RecordStore, type StoredRecord } from './store.js';

/** Tables whose rows register webhooks; a change to any of them re-reads the registrations. */
export const REGISTRATION_TABLES = new Set(['serviceendpoint', 'sdkmessageprocessingstep', 'sdkmessagefilter']);

const CONTRACT_WEBHOOK = 8;
const AUTH_WEBHOOK_KEY = 4;
const AUTH_HTTP_HEADER = 5;
const AUTH_HTTP_QUERY_STRING = 6;

/** `<settings><setting name="x-api-key" value="..." /></settings>`, the auth value of HttpHeader and HttpQueryString endpoints. */
export function readSettings(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of xml.matchAll(/<setting\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)) out[m[1]!] = unescapeXml(m[2]!);
  return out;
}

const unescapeXml = (s: string) => s.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/**
 * Signs a delivery as Dataverse does: the endpoint's auth value as headers (HttpHeader) or
 * query string (HttpQueryString, WebhookKey as `code=`), plus the x-ms-dynamics-* headers.
 */
export function signDelivery(sub: WebhookSubscription, body: string): OutgoingRequest {
  const context = JSON.parse(body) as { MessageName: string; PrimaryEntityName: string; CorrelationId: string; RequestId: string };
  const headers: Record<string, string> = {
    'x-request-id': context.RequestId,
    'x-ms-correlation-request-id': context.CorrelationId,
    'x-ms-dynamics-organization': sub.meta?.organization ?? '',
    'x-ms-dynamics-entity-name': context.PrimaryEntityName,
    'x-ms-dynamics-request-name': context.MessageName,
  };
  if (Number(sub.meta?.authtype) === AUTH_HTTP_HEADER) Object.assign(headers, readSettings(sub.secret ?? ''));
  return { headers, body };
}

/** The URL a delivery goes to: query-string auth types add their values to the endpoint's URL. */
function deliveryUrl(endpoint: StoredRecord): string {
  const url = new URL(String(endpoint.values.url));
  const auth = String(endpoint.values.authvalue ?? '');
  if (endpoint.values.authtype === AUTH_WEBHOOK_KEY) url.searchParams.set('code', auth);
  if (endpoint.values.authtype === AUTH_HTTP_QUERY_STRING) for (const [k, v] of Object.entries(readSettings(auth))) url.searchParams.set(k, v);
  return url.toString();
}

/** Re-reads enabled steps whose handler is a webhook service endpoint into hub subscriptions, one per step. */
export function syncSubscriptions(store: RecordStore, hub: WebhookHub, organization: string): void {
  for (const sub of hub.list()) hub.unsubscribe(sub.id);
  for (const step of store.rows('sdkmessageprocessingstep')) {
    if (step.values.statecode !== 0) continue;
    const handler = step.values.eventhandler;
    const endpoint = isLookupValue(handler) ? store.get('serviceendpoint', handler.id) : undefined;
    if (!endpoint || endpoint.values.contract !== CONTRACT_WEBHOOK || typeof endpoint.values.url !== 'string') continue;
    const message = ref(store, 'sdkmessage', step.values.sdkmessageid)?.values.name;
    const filter = ref(store, 'sdkmessagefilter', step.values.sdkmessagefilterid);
    if (typeof message !== 'string') continue;
    let url: string;
    try {
      url = deliveryUrl(endpoint);
    } catch {
      continue;
    }
    hub.subscribe({
      id: step.id,
      url,
      events: [`step:${step.id}`],
      secret: String(endpoint.values.authvalue ?? ''),
      meta: {
        organization,
        authtype: String(endpoint.values.authtype),
        message,
        entity: typeof filter?.values.primaryobjecttypecode === 'string' ? filter.values.primaryobjecttypecode : '',
        filteringattributes: typeof step.values.filteringattributes === 'string' ? step.values.filteringattributes : '',
        stepName: String(step.values.name ?? ''),
        stage: String(step.values.stage ?? 40),
        mode: String(step.values.mode ?? 1),
      },
    });
  }
}

function ref(store: RecordStore, entity: string, value: FieldValue | undefined): StoredRecord | undefined {
  return isLookupValue(value) ? store.get(entity, value.id) : undefined;
}

/** Sends each committed change to the steps registered for its message and table. */
export function deliverEvents(events: ChangeEvent[], hub: WebhookHub): void {
  for (const event of events) {
    for (const sub of hub.list()) {
      const meta = sub.meta ?? {};
      if (meta.message !== event.message) continue;
      if (meta.entity && meta.entity !== event.entity) continue;
      if (event.message === 'Update' && meta.filteringattributes) {
        const watched = meta.filteringattributes.split(',').map((s) => s.trim());
        if (!Object.keys(event.target).some((k) => watched.includes(k))) continue;
      }
      hub.emit(`step:${sub.id}`, null, () => remoteExecutionContext(event, sub));
    }
  }
}

const CONTRACTS = 'http://schemas.microsoft.com/xrm/2011/Contracts';
const wcfDate = (ms: number) => `/Date(${ms})/`;

function attributeValue(entity: string, name: string, value: FieldValue): unknown {
  if (isLookupValue(value)) {
    return { __type: `EntityReference:${CONTRACTS}`, Id: value.id, KeyAttributes: [], LogicalName: value.entity, Name: null, RowVersion: null };
  }
  const attr = entityByLogicalName(entity)?.attributes.find((a) => a.logicalName === name);
  if (value !== null && (attr?.type === 'Picklist' || attr?.type === 'State' || attr?.type === 'Status')) return { __type: `OptionSetValue:${CONTRACTS}`, Value: value };
  if (value !== null && attr?.type === 'Money') return { __type: `Money:${CONTRACTS}`, Value: value };
  if (typeof value === 'string' && attr?.type === 'DateTime') return wcfDate(Date.parse(value));
  return value;
}

/** The RemoteExecutionContext Dataverse posts to a webhook, in its DataContract JSON form. */
export function remoteExecutionContext(event: ChangeEvent, sub: WebhookSubscription): Record<string, unknown> {
  const user = SEED_USERS.find((u) => u.id === event.userId);
  const correlationId = randomUUID();
  const target =
    event.message === 'Delete'
      ? { __type: `EntityReference:${CONTRACTS}`, Id: event.id, KeyAttributes: [], LogicalName: event.entity, Name: null, RowVersion: null }
      : {
          __type: `Entity:${CONTRACTS}`,
          Attributes: Object.entries(event.target).map(([key, value]) => ({ key, value: attributeValue(event.entity, key, value) })),
          EntityState: null,
          FormattedValues: [],
          Id: event.id,
          KeyAttributes: [],
          LogicalName: event.entity,
          RelatedEntities: [],
          RowVersion: null,
        };
  return {
    BusinessUnitId: BUSINESS_UNIT_ID,
    CorrelationId: correlationId,
    Depth: 1,
    InitiatingUserAzureActiveDirectoryObjectId: user?.aadObjectId ?? '00000000-0000-0000-0000-000000000000',
    InitiatingUserId: event.userId,
    InputParameters: [{ key: 'Target', value: target }],
    IsExecutingOffline: false,
    IsInTransaction: false,
    IsOfflinePlayback: false,
    IsolationMode: 1,
    MessageName: event.message,
    Mode: Number(sub.meta?.mode ?? 1),
    OperationCreatedOn: wcfDate(Date.now()),
    OperationId: randomUUID(),
    OrganizationId: ORGANIZATION_ID,
    OrganizationName: ORGANIZATION_NAME,
    OutputParameters: event.message === 'Create' ? [{ key: 'id', value: event.id }] : [],
    OwningExtension: { Id: sub.id, KeyAttributes: [], LogicalName: 'sdkmessageprocessingstep', Name: sub.meta?.stepName ?? '', RowVersion: null },
    ParentContext: null,
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: event.id,
    PrimaryEntityName: event.entity,
    RequestId: randomUUID(),
    SecondaryEntityName: 'none',
    SharedVariables: [],
    Stage: Number(sub.meta?.stage ?? 40),
    UserAzureActiveDirectoryObjectId: user?.aadObjectId ?? '00000000-0000-0000-0000-000000000000',
    UserId: event.userId,
  };
}
