import { describe, expect, it } from 'vitest';
import { applySettingsPatch, defaultConnectionSettings } from './connection-settings.js';

describe('connection settings', () => {
  it('merges object toggles one by one', () => {
    const next = applySettingsPatch(defaultConnectionSettings(), { objects: { transcripts: true } });
    expect(next.objects).toMatchObject({ transcripts: true, notes: true, contacts: true });
  });

  it('clears the field choices when the destination module changes (S4), keeping the lead source value', () => {
    const chosen = applySettingsPatch(defaultConnectionSettings(), {
      destination: { module: 'Leads', phoneField: 'Mobile', nameField: 'Last_Name', chatLinkField: 'Chat_Link', leadSourceValue: 'TimelinesAI' },
    });
    const moved = applySettingsPatch(chosen, { destination: { module: 'Contacts' } });
    expect(moved.destination).toEqual({ module: 'Contacts', leadSourceValue: 'TimelinesAI' });
    const same = applySettingsPatch(chosen, { destination: { module: 'Leads', phoneField: 'Phone' } });
    expect(same.destination).toMatchObject({ module: 'Leads', phoneField: 'Phone', chatLinkField: 'Chat_Link' });
  });

  it('keeps the update interval within 5 to 1440 minutes', () => {
    expect(() => applySettingsPatch(defaultConnectionSettings(), { updateIntervalMinutes: 4 })).toThrow(/at least 5 minutes/);
    expect(() => applySettingsPatch(defaultConnectionSettings(), { updateIntervalMinutes: 1441 })).toThrow(/at most 1440/);
  });
});
