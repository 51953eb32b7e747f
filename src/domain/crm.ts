/** The seven CRMs crm-sync keeps in step. The id is used in URLs, settings and logs. */
export const CRM_IDS = ['hubspot', 'salesforce', 'pipedrive', 'zoho', 'odoo', 'dynamics', 'autochat'] as const;
export type CrmId = (typeof CRM_IDS)[number];

export const CRM_NAMES: Record<CrmId, string> = {
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
  zoho: 'Zoho CRM',
  odoo: 'Odoo',
  dynamics: 'Microsoft Dynamics 365',
  autochat: 'AutoChat CRM',
};

export function isCrmId(value: string): value is CrmId {
  return (CRM_IDS as readonly string[]).includes(value);
}
