import { ORGANIZATION_NAME, SEED_USERS } from './facts.js';
import { metadataId } from './api/metadata-shapes.js';
import { entityByLogicalName } from './schema/index.js';
import type { RecordStore } from './store.js';

/** The messages webhooks can subscribe to, with the ids Dataverse gives them. */
export const SDK_MESSAGES = {
  Create: '9ebdbb1b-ea3e-db11-86a7-000a3a5473e8',
  Update: '20bebb1b-ea3e-db11-86a7-000a3a5473e8',
  Delete: '20bdbb1b-ea3e-db11-86a7-000a3a5473e8',
} as const;

const FILTERED_TABLES = ['contact', 'lead', 'account', 'opportunity', 'annotation', 'task', 'phonecall', 'appointment'];

export const sdkMessageFilterId = (message: string, entity: string) => metadataId('sdkmessagefilter', message, entity);

/** The seeded environment: its users (two people and the app's application user) and the SDK message catalogue. */
export function seedEnvironment(store: RecordStore): void {
  const systemuser = entityByLogicalName('systemuser')!;
  const admin = SEED_USERS[0]!.id;
  for (const u of SEED_USERS) {
    store.insert(systemuser, {
      firstname: u.firstName,
      lastname: u.lastName,
      internalemailaddress: u.email,
      domainname: u.email,
      azureactivedirectoryobjectid: u.aadObjectId,
      applicationid: u.applicationId ?? null,
      accessmode: u.applicationId ? 4 : 0,
      isdisabled: false,
    }, admin, u.id);
  }
  const sdkmessage = entityByLogicalName('sdkmessage')!;
  const filter = entityByLogicalName('sdkmessagefilter')!;
  for (const [name, id] of Object.entries(SDK_MESSAGES)) {
    store.insert(sdkmessage, { name }, admin, id);
    for (const table of FILTERED_TABLES) {
      store.insert(filter, {
        name: `${name} of ${table}`,
        primaryobjecttypecode: table,
        secondaryobjecttypecode: 'none',
        sdkmessageid: { id, entity: 'sdkmessage' },
      }, admin, sdkMessageFilterId(name, table));
    }
  }
  store.drainEvents();
}

export const organizationHost = (instanceUrl: string) => {
  try {
    return new URL(instanceUrl).host;
  } catch {
    return `${ORGANIZATION_NAME}.crm.dynamics.com`;
  }
};
