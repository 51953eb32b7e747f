import type { ConnectionStatus } from '../types';

const LABELS: Record<ConnectionStatus | 'none', string> = {
  connected: 'Connected',
  needs_reconnect: 'Needs reconnect',
  error: 'Error',
  disconnected: 'Not connected',
  none: 'Not connected',
};

export function StatusBadge({ status }: { status: ConnectionStatus | undefined }) {
  const key = status ?? 'none';
  return <span className={`badge badge-${key}`}>{LABELS[key]}</span>;
}
