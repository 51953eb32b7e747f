import { useEffect, useRef, type ReactNode } from 'react';
import { useApp } from '../context';
import { Link } from '../router';

const NAV: { href: string; label: string; adminsOnly?: boolean }[] = [
  { href: '/connections', label: 'CRM connections' },
  { href: '/sync-logs', label: 'Sync logs' },
  { href: '/api-keys', label: 'API keys' },
  // The audit log is for the owner and Settings Admins (the API refuses members).
  { href: '/audit-log', label: 'Audit log', adminsOnly: true },
];

export function Layout({ path, onSignOut, children }: { path: string; onSignOut: () => void; children: ReactNode }) {
  const { session } = useApp();
  const main = useRef<HTMLElement>(null);
  // After a route change, move focus to the page so screen readers announce it.
  useEffect(() => main.current?.focus(), [path]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">crm-sync</span>
        <nav aria-label="Main">
          {NAV.filter((n) => !n.adminsOnly || session.user.role !== 'member').map((n) => (
            <Link key={n.href} href={n.href} aria-current={path.startsWith(n.href) || (path === '/' && n.href === '/connections') ? 'page' : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span className="who">
          <span>
            {session.user.email} <span className="role">({session.user.role.replace('_', ' ')})</span>
          </span>
          <button type="button" className="link-button" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
