/**
 * The seeded Dataverse environment and its Azure AD tenant: fixed ids and secrets,
 * so a person can copy them from the docs or the control API.
 */
export const TENANT_ID = '5f9e3a1c-2b7d-4e8a-9c61-0d4b7a2e8f13';
export const ORGANIZATION_ID = '8c2f6d41-7a3e-4b95-b0d2-3e9f1c6a5b78';
export const ORGANIZATION_NAME = 'crmsyncsandbox';
export const BUSINESS_UNIT_ID = '1d7b9e20-4c3a-4f6e-8a15-6b2c9d0e7f34';

/** The app registration a connector uses (Azure AD client id and a client secret value). */
export const APP = {
  clientId: '3b8e5c72-9d14-4a6f-b2e0-7c51f9a3d486',
  clientSecret: 'Sbx8Q~crmSyncSandboxSecretValue.0123456789',
  name: 'crm-sync (sandbox app registration)',
} as const;

export interface SeedUser {
  id: string;
  /** The user's object id in Azure AD. */
  aadObjectId: string;
  email: string;
  firstName: string;
  lastName: string;
  /** Set for the application user that client-credentials tokens act as. */
  applicationId?: string;
}

export const SEED_USERS: SeedUser[] = [
  {
    id: 'a1f4c2e8-5b3d-4e7a-9f06-2c8d1b7e4a90',
    aadObjectId: 'e2b7d4a1-6c3f-4a8e-b915-7d0c2f8e1a36',
    email: 'admin@sandbox.crm-sync.test',
    firstName: 'Avery',
    lastName: 'Admin',
  },
  {
    id: 'b6e2d9a3-1f4c-4b8d-a7e5-9c3f0d2b6e81',
    aadObjectId: 'f3c8e5b2-7d4a-4b9f-8a26-8e1d3a9f2b47',
    email: 'sales.rep@sandbox.crm-sync.test',
    firstName: 'Sam',
    lastName: 'Seller',
  },
  {
    id: 'c9a7f3b5-2e6d-4c1a-b8f4-0d5e2a7c9b13',
    aadObjectId: 'a4d9f6c3-8e5b-4caf-9b37-9f2e4bae3c58',
    email: 'crm-sync-app@sandbox.crm-sync.test',
    firstName: '#',
    lastName: 'crm-sync',
    applicationId: APP.clientId,
  },
];

export const ADMIN_USER = SEED_USERS[0]!;
export const APPLICATION_USER = SEED_USERS[2]!;

/** Azure AD access tokens live a little under an hour. */
export const ACCESS_TOKEN_TTL_SECONDS = 3599;
export const API_VERSION = 'v9.2';

/** The environment as the Global Discovery Service lists it (docs/sandbox/dynamics.md). */
export const ENVIRONMENT = {
  /** Dataverse's unique name: "unq" and the organization id's hex, as new environments get. */
  uniqueName: `unq${ORGANIZATION_ID.replace(/-/g, '').slice(0, 24)}`,
  friendlyName: 'crm-sync sandbox',
  environmentId: 'Default-5f9e3a1c-2b7d-4e8a-9c61-0d4b7a2e8f13',
  datacenterId: '6b3f8e2a-4d1c-4f7b-9e5a-2c8d0f1b3a67',
  region: 'EMEA',
  version: '9.2.25013.00170',
  lastUpdated: '2026-01-15T08:00:00Z',
} as const;
