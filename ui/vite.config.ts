import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The admin UI is served by the crm-sync server itself (src/http/ui.ts) from ui/dist.
// `vite` (dev) proxies the API to a server on port 3000.
const api = process.env.CRM_SYNC_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/v1': api, '/sandbox': api, '/openapi.json': api } },
});
