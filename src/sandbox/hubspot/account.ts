/**
 * The seeded HubSpot portal: fixed ids and credentials a person can copy, the
 * OAuth app, a private app, the developer API key that manages webhooks, and the users.
 */
export const PORTAL = {
  portalId: 24681357,
  hubDomain: 'crm-sync-sandbox.hubspot.com',
} as const;

export const OAUTH_APP = {
  appId: 3105567,
  name: 'crm-sync (sandbox)',
  clientId: '5c1f6e2a-8b4d-4f7e-9a31-0d2c6b7e8f90',
  clientSecret: 'a8d0e4c2-71b9-4e56-b3f1-9c4d2e6a7b18',
} as const;

export const PRIVATE_APP = {
  appId: 3105568,
  accessToken: 'pat-na1-7d3e9c41-52ab-4c8e-9f17-6a0b2d4e8c35',
} as const;

/** Manages webhook settings and subscriptions (`?hapikey=`), as a developer account's key does. */
export const DEVELOPER_API_KEY = 'e2b7c9d4-3a61-4f08-8d5e-1b9c7a2f4e60';

export const SCOPES = [
  'oauth',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.objects.owners.read',
  'crm.schemas.contacts.read',
  'crm.schemas.contacts.write',
  'crm.schemas.companies.read',
  'crm.schemas.deals.read',
];

export interface SandboxUser {
  /** HubSpot user id (numeric, as token metadata and `userId` on owners report it). */
  userId: number;
  /** Owner id, what `hubspot_owner_id` holds. */
  ownerId: string;
  email: string;
  firstName: string;
  lastName: string;
}

export const USERS: SandboxUser[] = [
  { userId: 61000001, ownerId: '71000001', email: 'admin@sandbox.crm-sync.test', firstName: 'Ada', lastName: 'Admin' },
  { userId: 61000002, ownerId: '71000002', email: 'sales@sandbox.crm-sync.test', firstName: 'Sam', lastName: 'Seller' },
  { userId: 61000003, ownerId: '71000003', email: 'support@sandbox.crm-sync.test', firstName: 'Sue', lastName: 'Porter' },
];

export const ADMIN = USERS[0] as SandboxUser;
