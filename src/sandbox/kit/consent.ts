import type { FastifyInstance } from 'fastify';
import { escapeHtml, page } from './html.js';
import type { OAuthServer } from './oauth.js';

/**
 * The authorization endpoint of a fake CRM: an HTML consent page (Approve / Deny)
 * that redirects back to the app with `code` and `state`, as the vendors' pages do.
 */
export interface ConsentOptions {
  crmName: string;
  oauth: OAuthServer;
  /** The sandbox user who "signs in" on the consent page. */
  userId: string;
  /** Vendor facts to bind to the grant, read from the authorize request (e.g. Zoho's data centre). */
  extra?: (query: Record<string, string>) => Record<string, string>;
}

const PASSED_THROUGH = ['client_id', 'redirect_uri', 'state', 'scope', 'code_challenge', 'code_challenge_method', 'response_type'];

export function registerConsentPage(app: FastifyInstance, path: string, options: ConsentOptions): void {
  app.get(path, async (req, reply) => {
    const q = req.query as Record<string, string>;
    const client = options.oauth.app(q.client_id ?? '');
    if (!client) return reply.code(400).type('text/html').send(page('Error', `<h1>Unknown client_id</h1><p>${escapeHtml(q.client_id)}</p>`));
    if (!q.redirect_uri) return reply.code(400).type('text/html').send(page('Error', '<h1>redirect_uri is required</h1>'));
    if (q.response_type && q.response_type !== 'code')
      return reply.code(400).type('text/html').send(page('Error', '<h1>Only response_type=code is supported</h1>'));
    const hidden = Object.entries(q)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const scopes = (q.scope ?? '').split(/[ ,+]/).filter(Boolean);
    const body = `<div class="card"><h1>${escapeHtml(options.crmName)} (sandbox)</h1>
<p><strong>${escapeHtml(client.name)}</strong> wants to access your ${escapeHtml(options.crmName)} account.</p>
${scopes.length ? `<p>It asks for:</p><ul>${scopes.map((s) => `<li><code>${escapeHtml(s)}</code></li>`).join('')}</ul>` : ''}
<form method="post" action="">${hidden}
<button class="approve" type="submit" name="decision" value="approve">Approve</button>
<button class="deny" type="submit" name="decision" value="deny">Deny</button></form></div>`;
    return reply.type('text/html').send(page(`Authorize ${client.name}`, body));
  });

  app.post(path, async (req, reply) => {
    const form = (req.body ?? {}) as Record<string, string>;
    const client = options.oauth.app(form.client_id ?? '');
    if (!client || !form.redirect_uri) return reply.code(400).type('text/html').send(page('Error', '<h1>Invalid authorization request</h1>'));
    const target = new URL(form.redirect_uri);
    if (form.state !== undefined) target.searchParams.set('state', form.state);
    if (form.decision !== 'approve') {
      target.searchParams.set('error', 'access_denied');
      target.searchParams.set('error_description', 'The user denied access');
      return reply.redirect(target.toString(), 302);
    }
    const passed = Object.fromEntries(PASSED_THROUGH.map((k) => [k, form[k]]).filter(([, v]) => v !== undefined));
    const code = options.oauth.issueCode({
      clientId: client.clientId,
      redirectUri: form.redirect_uri,
      codeChallenge: passed.code_challenge,
      codeChallengeMethod: passed.code_challenge_method,
      userId: options.userId,
      scope: passed.scope ?? '',
      extra: options.extra?.(form) ?? {},
    });
    target.searchParams.set('code', code);
    return reply.redirect(target.toString(), 302);
  });
}
