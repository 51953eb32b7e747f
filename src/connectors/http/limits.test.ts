import { describe, expect, it } from 'vitest';
import { CRM_IDS } from '../../domain/crm.js';
import { rateLimits } from './limits.js';

const h = (o: Record<string, string>) => new Headers(o);

describe('rate-limit facts', () => {
  it('has an entry for every CRM, each with a source', () => {
    expect(Object.keys(rateLimits).sort()).toEqual([...CRM_IDS].sort());
    for (const id of CRM_IDS) expect(rateLimits[id].source).toBeTruthy();
  });

  it('reads HubSpot window and daily headers', () => {
    const r = rateLimits.hubspot.read(
      h({
        'X-HubSpot-RateLimit-Max': '100',
        'X-HubSpot-RateLimit-Remaining': '97',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
        'X-HubSpot-RateLimit-Daily': '250000',
        'X-HubSpot-RateLimit-Daily-Remaining': '249000',
      }),
    );
    expect(r).toEqual({ limit: 100, remaining: 97, windowMs: 10_000, dailyLimit: 250_000, dailyRemaining: 249_000 });
  });

  it('reads Salesforce api-usage as the daily remainder', () => {
    expect(rateLimits.salesforce.read(h({ 'Sforce-Limit-Info': 'api-usage=25/100000' }))).toEqual({ dailyLimit: 100_000, dailyRemaining: 99_975 });
    expect(rateLimits.salesforce.read(h({}))).toEqual({});
  });

  it('reads Pipedrive burst (reset in seconds) and daily token headers', () => {
    const r = rateLimits.pipedrive.read(
      h({ 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '3', 'x-ratelimit-reset': '2', 'x-daily-ratelimit-token-remaining': '1500' }),
    );
    expect(r).toEqual({ limit: 80, remaining: 3, resetInMs: 2000, dailyRemaining: 1500 });
  });

  it('reads Dynamics and AutoChat headers; Zoho and Odoo send none', () => {
    expect(rateLimits.dynamics.read(h({ 'x-ms-ratelimit-burst-remaining-xrm-requests': '5999' }))).toEqual({ remaining: 5999 });
    expect(rateLimits.autochat.read(h({ 'RateLimit-Limit': '120', 'RateLimit-Remaining': '0', 'RateLimit-Reset': '31' }))).toEqual({
      limit: 120,
      remaining: 0,
      resetInMs: 31_000,
    });
    expect(rateLimits.zoho.read(h({ 'x-ratelimit-remaining': '3' }))).toEqual({});
    expect(rateLimits.odoo.read(h({}))).toEqual({});
  });

  it('ignores values that are not numbers', () => {
    expect(rateLimits.autochat.read(h({ 'RateLimit-Remaining': 'soon' }))).toEqual({ limit: undefined, remaining: undefined, resetInMs: undefined });
  });
});
