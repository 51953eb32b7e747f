import { useCallback, useEffect, useState } from 'react';
import { api, errorText } from './api';
import { AppContext, type AppState } from './context';
import { Layout } from './components/Layout';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { ConnectionPage } from './pages/ConnectionPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { SignInPage } from './pages/SignInPage';
import { SyncLogsPage } from './pages/SyncLogsPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { navigate, useLocation } from './router';
import type { Session } from './types';

type Boot = { phase: 'loading' } | { phase: 'signed_out' } | { phase: 'failed'; message: string } | { phase: 'ready'; state: AppState };

export function App() {
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const url = useLocation();

  const enter = useCallback(async (session: Session) => {
    const [crms, sandbox] = await Promise.all([api.crms(), api.sandbox()]);
    setBoot({ phase: 'ready', state: { session, crms, sandbox, canEdit: session.user.role !== 'member' } });
  }, []);

  useEffect(() => {
    api
      .session()
      .then((s) => (s ? enter(s) : setBoot({ phase: 'signed_out' })))
      .catch((e: unknown) => setBoot({ phase: 'failed', message: errorText(e) }));
  }, [enter]);

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setBoot({ phase: 'signed_out' });
    navigate('/signin', true);
  };

  if (boot.phase === 'loading') return <p className="boot" role="status">Loading…</p>;
  if (boot.phase === 'failed') return <p className="boot" role="alert">The server could not be reached: {boot.message}</p>;
  if (boot.phase === 'signed_out')
    return (
      <SignInPage
        onSignedIn={async (s) => {
          await enter(s);
          if (url.pathname === '/' || url.pathname === '/signin') navigate('/connections', true);
        }}
      />
    );

  return (
    <AppContext.Provider value={boot.state}>
      <Layout path={url.pathname} onSignOut={signOut}>
        <Page url={url} />
      </Layout>
    </AppContext.Provider>
  );
}

function Page({ url }: { url: URL }) {
  const path = url.pathname;
  const conn = /^\/connections\/([^/]+)$/.exec(path);
  if (conn) return <ConnectionPage id={decodeURIComponent(conn[1]!)} />;
  if (path === '/sync-logs') return <SyncLogsPage search={url.search} />;
  if (path === '/api-keys') return <ApiKeysPage />;
  if (path === '/audit-log') return <AuditLogPage search={url.search} />;
  return <ConnectionsPage search={url.search} />;
}
