import { useEffect, useState } from 'react';
import { api, errorText } from '../api';
import type { CrmProperty } from '../types';

/**
 * The CRM's own contact properties, to offer as mapping targets. They depend on the saved
 * destination module where the CRM has one (Zoho), so they are read again when it changes.
 */
export function useCrmProperties(connectionId: string, module: string | undefined): { properties: CrmProperty[] | undefined; error: string } {
  const [state, setState] = useState<{ properties: CrmProperty[] | undefined; error: string }>({ properties: undefined, error: '' });
  useEffect(() => {
    let live = true;
    api
      .properties(connectionId)
      .then((r) => live && setState({ properties: r.properties, error: '' }))
      .catch((e: unknown) => live && setState({ properties: undefined, error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [connectionId, module]);
  return state;
}
