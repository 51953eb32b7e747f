import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.js';
import { connectWithOAuth, signIn, startUi, type UiSession } from './support.js';

// The configuration page's activation, Zoho's and Dynamics 365's destination choices and field-mapping targets from
// the CRM's metadata, in Chromium against the whole product with the sandbox CRMs (SQLite only:
// the API itself is tested on both databases).
describe('configuration page in a browser (sqlite)', { timeout: 60_000 }, () => {
  let ui: UiSession;
  let page: Page;

  beforeAll(async () => {
    ui = await startUi();
    page = ui.page;
    await signIn(page, ui.s.origin, ui.s.workspace.adminEmail, ui.s.workspace.adminPassword);
    await connectWithOAuth(page, 'hubspot');
    await connectWithOAuth(page, 'zoho');
    await connectWithOAuth(page, 'dynamics');
  }, 60_000);

  afterAll(async () => {
    await ui?.close();
  });

  async function configure(crm: string): Promise<string> {
    await page.getByRole('link', { name: 'CRM connections', exact: true }).click();
    await page.locator(`li[data-crm="${crm}"]`).getByRole('link', { name: /Configure/ }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  async function savedSettings(id: string): Promise<Record<string, unknown>> {
    const res = await fetch(`${ui.s.origin}/v1/connections/${id}`, { headers: ui.s.auth });
    return ((await res.json()) as { settings: Record<string, unknown> }).settings;
  }

  const activation = () => page.getByRole('region', { name: 'Activation' });
  const save = async () => {
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
  };

  it('activates sandbox HubSpot, showing the test record and locking the form; Deactivate and edit unlocks it', async () => {
    const id = await configure('hubspot');
    const interval = page.getByLabel('Update interval (minutes)');
    // Activation tests the saved settings, so it waits while the form holds unsaved changes.
    await interval.fill('45');
    expect(await activation().getByRole('button', { name: 'Activate' }).isDisabled()).toBe(true);
    await save();
    await activation().getByRole('button', { name: 'Activate' }).click();
    const ok = activation().locator('.notice-ok');
    await ok.waitFor();
    expect(await ok.textContent()).toMatch(/^Activated: HubSpot took a test record \(contacts \d+\); it stays in HubSpot so you can look at it, and you may delete it\.$/);
    expect(await interval.isDisabled()).toBe(true);
    expect(await page.getByLabel('Messages as transcripts').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).toBe(0);
    expect(await page.getByText('Locked while the connection is active', { exact: false }).count()).toBe(1);
    expect(await savedSettings(id)).toMatchObject({ active: true, updateIntervalMinutes: 45 });
    await screenshot(page, 'configuration-activated');

    await activation().getByRole('button', { name: 'Deactivate and edit' }).click();
    await activation().getByRole('button', { name: 'Activate' }).waitFor();
    expect(await interval.isDisabled()).toBe(false);
    await interval.fill('30');
    await save();
    expect(await savedSettings(id)).toMatchObject({ active: false, updateIntervalMinutes: 30 });
  });

  it('offers HubSpot’s own properties as mapping targets, lifecyclestage with its type and options', async () => {
    const id = await configure('hubspot');
    await page.getByRole('button', { name: 'Add a mapping' }).click();
    const target = page.getByLabel('CRM property', { exact: true });
    expect(await target.getAttribute('list')).toBe('crm-properties');
    const offered = await page.locator('datalist#crm-properties option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toContain('lifecyclestage');
    expect(offered).toContain('email');
    // Read-only properties (the record id) are not offered.
    expect(offered).not.toContain('hs_object_id');
    await page.getByLabel('Source', { exact: true }).fill('properties.stage');
    await target.fill('lifecyclestage');
    expect(await page.getByLabel('Type', { exact: true }).inputValue()).toBe('picklist');
    const facts = page.locator('.mapping-facts');
    expect(await facts.textContent()).toBe('Lifecycle Stage in HubSpot, one of: subscriber, lead, marketingqualifiedlead, salesqualifiedlead, opportunity, customer, evangelist, other');
    // A name the CRM does not list can still be typed.
    await page.getByRole('button', { name: 'Add a mapping' }).click();
    await page.getByLabel('Source').nth(1).fill('specificFields.budget');
    await page.getByLabel('CRM property').nth(1).fill('budget_custom');
    await save();
    expect((await savedSettings(id)).fieldMappings).toEqual([
      { source: 'properties.stage', target: 'lifecyclestage', type: 'picklist' },
      { source: 'specificFields.budget', target: 'budget_custom', type: 'string' },
    ]);
    await screenshot(page, 'configuration-mappings');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'configuration-390px');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('picks Zoho’s destination from the modules with a phone field; another module clears the field choices', async () => {
    const id = await configure('zoho');
    const module = page.getByLabel('Module', { exact: true });
    await module.waitFor();
    expect(await module.locator('option').allTextContents()).toEqual(['Not chosen (the usual module)', 'Leads', 'Contacts', 'Accounts', 'Chat Sessions']);

    // With the defaults, Zoho's lead source picklist lacks "crm-sync": activation says so in words.
    await activation().getByRole('button', { name: 'Activate' }).click();
    const refused = activation().getByRole('alert');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/^Activation failed: Zoho CRM cannot take clients with these settings: Leads\.Lead_Source is a picklist without the value "crm-sync"/);

    const phone = page.getByLabel('Phone field', { exact: true });
    const name = page.getByLabel('Name field', { exact: true });
    const chatLink = page.getByLabel('Chat link field', { exact: true });
    const leadSource = page.getByLabel('Lead source field', { exact: true });
    await module.selectOption('Contacts');
    expect(await phone.locator('option').allTextContents()).toEqual(['Not chosen (the usual field)', 'Phone (Phone)', 'Mobile (Mobile)']);
    await phone.selectOption('Mobile');
    await name.selectOption('Last_Name');
    await chatLink.selectOption('Chat_Link');
    await leadSource.selectOption('Lead_Source');
    const value = page.getByLabel('Lead source value', { exact: true });
    expect(await value.getAttribute('list')).toBe('lead-source-options');
    await value.fill('Chat');
    await save();
    expect((await savedSettings(id)).destination).toEqual({ module: 'Contacts', phoneField: 'Mobile', nameField: 'Last_Name', chatLinkField: 'Chat_Link', leadSourceField: 'Lead_Source', leadSourceValue: 'Chat' });
    await screenshot(page, 'configuration-zoho-destination');
    // One field back to "Not chosen" clears just that choice.
    await chatLink.selectOption('');
    await save();
    expect((await savedSettings(id)).destination).toEqual({ module: 'Contacts', phoneField: 'Mobile', nameField: 'Last_Name', leadSourceField: 'Lead_Source', leadSourceValue: 'Chat' });

    await module.selectOption('Chat_Sessions');
    expect([await phone.inputValue(), await name.inputValue(), await chatLink.inputValue(), await leadSource.inputValue()]).toEqual(['', '', '', '']);
    expect(await phone.locator('option').allTextContents()).toEqual(['Not chosen (the usual field)', 'Customer Phone (Customer_Phone)']);
    await module.selectOption('Leads');
    await save();
    expect((await savedSettings(id)).destination).toEqual({ module: 'Leads', leadSourceValue: 'Chat' });
    expect(await phone.inputValue()).toBe('');

    // "Chat" is one of Leads' lead sources: activation now succeeds.
    await activation().getByRole('button', { name: 'Activate' }).click();
    await activation().locator('.notice-ok').waitFor();
    expect(await activation().locator('.notice-ok').textContent()).toMatch(/^Activated: Zoho CRM took a test record \(\w+ \w+\)/);
    expect(await module.isDisabled()).toBe(true);
  });

  it('asks what a new client becomes in Dynamics 365 (Contacts by default), as the server offers it; a CRM without a choice shows none', async () => {
    const hubspotAnswer = page.waitForResponse((r) => r.url().endsWith('/destinations'));
    await configure('hubspot');
    expect((await hubspotAnswer).status()).toBe(404);
    await page.getByRole('group', { name: 'Destination' }).waitFor({ state: 'detached' });

    const id = await configure('dynamics');
    const becomes = page.getByLabel('New clients become', { exact: true });
    await becomes.waitFor();
    expect(await becomes.locator('option').allTextContents()).toEqual(['Contacts', 'Leads']);
    expect(await becomes.inputValue()).toBe('contact');
    const destination = page.getByRole('group', { name: 'Destination' });
    expect(await destination.locator('.help').textContent()).toMatch(/^Only a client new to Dynamics 365 is created as a lead or a contact/);
    // Dynamics has no fields to choose: only the one question.
    expect(await destination.locator('select, input').count()).toBe(1);

    await becomes.selectOption('lead');
    await save();
    expect((await savedSettings(id)).destination).toEqual({ module: 'lead', leadSourceValue: 'crm-sync' });
    await screenshot(page, 'configuration-dynamics-destination');

    // The saved choice is what the form shows when it is opened again, and Contacts can be chosen back.
    await page.reload();
    await becomes.waitFor();
    expect(await becomes.inputValue()).toBe('lead');
    await becomes.selectOption('contact');
    await save();
    expect((await savedSettings(id)).destination).toEqual({ module: 'contact', leadSourceValue: 'crm-sync' });
  });
});
