// A CRM's mark: its initials on its colour (no external images).
const COLOURS: Record<string, string> = {
  hubspot: '#b93d1f',
  salesforce: '#0b5cab',
  pipedrive: '#1a1a1a',
  zoho: '#a11a2b',
  odoo: '#714b67',
  dynamics: '#0e4a7a',
  autochat: '#0d6b4f',
};

export function CrmMark({ id, name }: { id: string; name: string }) {
  const initials = name
    .replace(/^Microsoft /, '')
    .split(/\s+/)
    .filter((w) => /^[A-Za-z]/.test(w))
    .map((w) => w[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();
  return (
    <span className="mark" style={{ background: COLOURS[id] ?? '#444' }} aria-hidden="true">
      {initials}
    </span>
  );
}
