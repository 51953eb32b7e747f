import { describe, expect, it } from 'vitest';
import { CONNECTIONS } from '../../src/connectors/registry.js';
import { CRM_IDS } from '../../src/domain/crm.js';

describe('connection registry', () => {
  it('has the facts of all seven CRMs, with the methods each vendor offers', () => {
    expect(Object.fromEntries(CRM_IDS.map((id) => [id, CONNECTIONS[id].methods]))).toEqual({
      hubspot: ['oauth', 'api_key'],
      salesforce: ['oauth', 'service'],
      pipedrive: ['oauth', 'api_key'],
      zoho: ['oauth'],
      odoo: ['api_key'],
      dynamics: ['oauth', 'service'],
      autochat: ['api_key'],
    });
    for (const id of CRM_IDS) expect(CONNECTIONS[id].id).toBe(id);
  });

  it('describes every field an admin fills in, with where to find it', () => {
    for (const c of Object.values(CONNECTIONS)) {
      for (const f of [...c.apiKeyFields, ...c.serviceFields, ...c.targetFields]) {
        expect(f.help.length, `${c.id}.${f.name}`).toBeGreaterThan(30);
        expect(f.label, `${c.id}.${f.name}`).toBeTruthy();
      }
      expect(c.oauth !== undefined).toBe(c.methods.includes('oauth'));
      expect(c.serviceToken !== undefined).toBe(c.methods.includes('service'));
      expect(c.serviceFields.length > 0).toBe(c.methods.includes('service'));
    }
  });
});
