import { createContext, useContext } from 'react';
import type { CrmInfo, SandboxControl, Session } from './types';

export interface AppState {
  session: Session;
  crms: CrmInfo[];
  /** Present when this server mounts the sandbox CRMs. */
  sandbox: SandboxControl | undefined;
  /** Owner and Settings Admin may connect, configure and disconnect (PRODUCT.md K1). */
  canEdit: boolean;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the signed-in app');
  return s;
}

export function crmName(crms: CrmInfo[], id: string | null): string {
  return crms.find((c) => c.id === id)?.name ?? id ?? '';
}
