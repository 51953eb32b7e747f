import { CRM_IDS, type CrmId } from '../domain/crm.js';
import type { SandboxCrm, SandboxCrmFactory } from './kit/crm.js';
import type { RequestCounts } from './kit/faults.js';
import { defaultSettings, seededRandom, type SandboxSettings, type SandboxSettingsPatch } from './kit/settings.js';
import { createAutochatSandbox } from './autochat/index.js';
import { createDynamicsSandbox } from './dynamics/index.js';
import { createHubspotSandbox } from './hubspot/index.js';
import { createOdooSandbox } from './odoo/index.js';
import { createPipedriveSandbox } from './pipedrive/index.js';
import { createSalesforceSandbox } from './salesforce/index.js';
import { createZohoSandbox } from './zoho/index.js';

const FACTORIES = {
  hubspot: createHubspotSandbox,
  salesforce: createSalesforceSandbox,
  pipedrive: createPipedriveSandbox,
  zoho: createZohoSandbox,
  odoo: createOdooSandbox,
  dynamics: createDynamicsSandbox,
  autochat: createAutochatSandbox,
} satisfies Record<CrmId, SandboxCrmFactory>;

interface CrmSlot {
  crm: SandboxCrm;
  settings: SandboxSettings;
  random: () => number;
  counts: RequestCounts;
}

/** The seven fake CRMs with their settings and counters; all state is in memory. */
export class Sandbox {
  private readonly slots = new Map<CrmId, CrmSlot>();

  constructor() {
    for (const id of CRM_IDS) {
      const slot = { settings: defaultSettings(), random: seededRandom(1), counts: { requests: 0, byStatus: {} } } as CrmSlot;
      slot.crm = FACTORIES[id]({ settings: () => slot.settings, random: () => slot.random() });
      this.slots.set(id, slot);
    }
  }

  crm(id: CrmId): SandboxCrm {
    return this.slot(id).crm;
  }

  slot(id: CrmId): CrmSlot {
    const slot = this.slots.get(id);
    if (!slot) throw new Error(`unknown sandbox CRM ${id}`);
    return slot;
  }

  settings(id: CrmId): SandboxSettings {
    return this.slot(id).settings;
  }

  counts(id: CrmId): RequestCounts {
    return this.slot(id).counts;
  }

  /** Applies a patch to one CRM's settings, or to all seven when `id` is undefined. */
  configure(patch: SandboxSettingsPatch, id?: CrmId): void {
    for (const target of id ? [id] : CRM_IDS) {
      const slot = this.slot(target);
      slot.settings = { ...slot.settings, ...patch };
      if (patch.seed !== undefined) slot.random = seededRandom(patch.seed);
    }
  }

  /** Forgets every record, token, subscription, counter and setting (of one CRM or all). */
  reset(id?: CrmId): void {
    for (const target of id ? [id] : CRM_IDS) {
      const slot = this.slot(target);
      slot.crm.reset();
      slot.crm.oauth?.reset();
      slot.crm.webhooks?.reset();
      slot.settings = defaultSettings();
      slot.random = seededRandom(1);
      slot.counts = { requests: 0, byStatus: {} };
    }
  }
}
