import { useEffect, useState } from 'react';
import { ApiError, api, errorText } from '../api';
import type { DestinationOffer } from '../types';

export type Destinations = { state: 'loading' } | { state: 'none' } | { state: 'offered'; offer: DestinationOffer } | { state: 'failed'; error: string };

/**
 * What the connection's CRM offers as a destination, asked of the server rather than known by
 * CRM name, so a CRM that gains a choice needs no change here. 404 means it offers none.
 */
export function useDestinations(connectionId: string): Destinations {
  const [state, setState] = useState<Destinations>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    api
      .destinations(connectionId)
      .then((offer) => live && setState({ state: 'offered', offer }))
      .catch((e: unknown) => live && setState(e instanceof ApiError && e.status === 404 ? { state: 'none' } : { state: 'failed', error: errorText(e) }));
    return () => {
      live = false;
    };
  }, [connectionId]);
  return state;
}
