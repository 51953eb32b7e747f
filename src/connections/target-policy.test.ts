import { describe, expect, it } from 'vitest';
import { connectionFacts } from '../connectors/registry.js';
import type { ConnectionTarget } from '../connectors/types.js';
import type { CrmId } from '../domain/crm.js';
import { checkTarget, isLoopback, isPrivateAddress } from './target-policy.js';

describe('isPrivateAddress', () => {
  it.each([
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.64.0.1', true], // carrier-grade NAT
    ['100.128.0.1', false],
    ['127.0.0.1', true],
    ['0.0.0.0', true],
    ['0.1.2.3', true],
    ['198.18.0.1', true], // benchmarking
    ['198.19.255.255', true],
    ['198.20.0.1', false],
    ['192.0.0.8', true],
    ['192.0.2.1', true],
    ['224.0.0.1', true], // multicast
    ['239.255.255.250', true],
    ['240.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['13.107.42.14', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fc00::1', true],
    ['fd12:3456::1', true],
    ['ff02::1', true], // multicast
    ['ff0e::1', true],
    ['::ffff:127.0.0.1', true], // IPv4-mapped
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['::127.0.0.1', true], // IPv4-compatible
    ['::a00:1', true],
    ['64:ff9b::10.0.0.1', true], // NAT64
    ['64:ff9b::a9fe:a9fe', true],
    ['64:ff9b::8.8.8.8', false],
    ['64:ff9b:1::1', true], // local-use NAT64
    ['2002:7f00:1::', true], // 6to4 of 127.0.0.1
    ['2002:a9fe:a9fe::1', true], // 6to4 of 169.254.169.254
    ['2002:808:808::1', false], // 6to4 of 8.8.8.8
    ['2001:0:4136:e378::1', true], // Teredo
    ['2001:db8::1', true], // documentation
    ['2606:4700:4700::1111', false],
    ['[::1]', true],
    ['localhost', true],
    ['not-an-address', false],
  ])('%s -> %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('isLoopback', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.9.9.9', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['127.attacker.example', false],
    ['127.0.0.1.nip.io', false],
    ['10.0.0.1', false],
    ['0.0.0.0', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

/** A resolver that answers from a table and never touches the network. */
const resolver = (table: Record<string, string[]>) => async (host: string) => table[host] ?? [];

async function problems(crm: CrmId, target: ConnectionTarget, o: { sandboxOrigins?: string[]; dns?: Record<string, string[]> } = {}) {
  const found = await checkTarget(connectionFacts(crm), target, { sandboxOrigins: () => o.sandboxOrigins ?? [], resolve: resolver(o.dns ?? {}) });
  return found.map((p) => p.path);
}

describe('checkTarget: the sandbox', () => {
  const own = 'http://127.0.0.1:3000';
  const origins = [own, 'http://localhost:3000'];

  it.each([
    [`${own}/sandbox/hubspot`, 'hubspot', []],
    [`${own}/sandbox/hubspot/`, 'hubspot', []],
    ['http://localhost:3000/sandbox/hubspot', 'hubspot', []],
    ['http://127.0.0.1:5432/sandbox/hubspot', 'hubspot', ['baseUrl']], // another local service (PostgreSQL's port)
    ['http://127.0.0.1:3001/sandbox/hubspot', 'hubspot', ['baseUrl']],
    ['http://127.0.0.2:3000/sandbox/hubspot', 'hubspot', ['baseUrl']],
    ['http://127.attacker.example:3000/sandbox/hubspot', 'hubspot', ['baseUrl']],
    [`${own}/sandbox/pipedrive`, 'hubspot', ['baseUrl']], // another CRM's fake
    [`${own}/admin/sandbox/hubspot`, 'hubspot', ['baseUrl']],
    [`${own}/sandbox/hubspot/oauth`, 'hubspot', ['baseUrl']],
    [`${own}/sandbox/hubspot?x=1`, 'hubspot', ['baseUrl']],
    ['http://user:pw@127.0.0.1:3000/sandbox/hubspot', 'hubspot', ['baseUrl']],
    ['https://127.0.0.1:3000/sandbox/hubspot', 'hubspot', ['baseUrl']],
  ] as const)('baseUrl %s for %s', async (baseUrl, crm, expected) => {
    expect(await problems(crm, { baseUrl }, { sandboxOrigins: origins })).toEqual(expected);
  });

  it('refuses any baseUrl when no sandbox is served or configured', async () => {
    expect(await problems('hubspot', { baseUrl: `${own}/sandbox/hubspot` })).toEqual(['baseUrl']);
  });

  it.each([
    [`${own}/sandbox/odoo`, 'odoo', []],
    [`${own}/sandbox/odoo/odoo17`, 'odoo', []], // the fake's older Odoo lives under the same mount
    ['http://127.0.0.1:8069', 'odoo', ['instanceUrl']], // any other local port
    ['http://127.0.0.1:3000/v1/connections', 'odoo', ['instanceUrl']],
    [`${own}/sandbox/salesforce`, 'odoo', ['instanceUrl']],
    [`${own}/sandbox/salesforce`, 'salesforce', []],
    ['http://[::1]:3000/sandbox/salesforce', 'salesforce', ['instanceUrl']],
  ] as const)('instanceUrl %s for %s', async (instanceUrl, crm, expected) => {
    expect(await problems(crm, { instanceUrl }, { sandboxOrigins: origins })).toEqual(expected);
  });
});

describe('checkTarget: vendor instance URLs', () => {
  it.each([
    ['https://acme.my.salesforce.com', { 'acme.my.salesforce.com': ['13.110.0.1'] }, []],
    ['https://acme.my.salesforce.com', { 'acme.my.salesforce.com': ['13.110.0.1', '10.0.0.5'] }, ['instanceUrl']], // one private answer is enough
    ['https://acme.my.salesforce.com', { 'acme.my.salesforce.com': ['64:ff9b::a9fe:a9fe'] }, ['instanceUrl']],
    ['https://acme.my.salesforce.com', {}, ['instanceUrl']], // does not resolve
    ['https://10.0.0.1', {}, ['instanceUrl']],
    ['http://acme.my.salesforce.com', { 'acme.my.salesforce.com': ['13.110.0.1'] }, ['instanceUrl']],
    ['http://127.0.0.1:3000/sandbox/salesforce', {}, ['instanceUrl']], // no sandbox here
  ] as const)('%s resolving to %j', async (instanceUrl, dns, expected) => {
    expect(await problems('salesforce', { instanceUrl }, { dns: dns as Record<string, string[]> })).toEqual(expected);
  });
});
