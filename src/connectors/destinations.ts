import type { OutboundContext } from './outbound.js';

/** A module where crm-sync can put clients, with the fields the destination settings choose from. */
export interface DestinationModule {
  apiName: string;
  label: string;
  phoneFields: { apiName: string; label: string }[];
  textFields: { apiName: string; label: string }[];
  picklistFields: { apiName: string; label: string; options: string[] }[];
}

/**
 * Where the admin chooses where clients go in a CRM, described so that the settings page (and
 * the route serving it) can ask without knowing the CRM: its question and help, the module used
 * when none is chosen, and whether each module has fields to choose as well.
 */
export interface DestinationChoice {
  label: string;
  help: string;
  defaultModule: string;
  fieldChoices: boolean;
  /** Whether listing reads the CRM (so needs a working connection) or is known beforehand. */
  readsCrm: boolean;
  list: (ctx: OutboundContext) => Promise<DestinationModule[]>;
}
