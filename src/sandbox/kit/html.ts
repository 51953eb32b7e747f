/** Escapes text for HTML bodies and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
 body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
 table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{border:1px solid #ccd;padding:.3rem .5rem;text-align:left;vertical-align:top}
 th{background:#eef} code{font-size:.85rem} .card{border:1px solid #ccd;border-radius:8px;padding:1.5rem;max-width:28rem}
 button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem;cursor:pointer} .approve{background:#1f6feb;color:#fff;border:0;border-radius:6px}
 .deny{background:#fff;border:1px solid #888;border-radius:6px}
</style></head><body>${body}</body></html>`;
}
