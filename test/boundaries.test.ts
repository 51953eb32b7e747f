import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs') as IConfiguration;

/**
 * A miniature src/ that breaks each rule of .dependency-cruiser.cjs once and keeps each of
 * its exceptions once; every file says what it imports. Cruising it takes well under a second,
 * where cruising the real tree (what `npm run check` does) takes several.
 */
const TREE: Record<string, string[]> = {
  'src/http/app.ts': ['../sandbox/mount', '../connectors/registry'],
  'src/http/routes/destinations.ts': ['../../connectors/zoho/api'],
  'src/engine/worker.ts': ['../http/app'],
  'src/store/store.ts': [],
  'src/domain/crm.ts': [],
  'src/connectors/registry.ts': ['./zoho/api'],
  'src/connectors/http/rate-budget.ts': ['../../store/store'],
  'src/connectors/zoho/api.ts': ['../http/rate-budget', '../hubspot/api'],
  'src/connectors/hubspot/api.ts': [],
  'src/connectors/hubspot/contacts.ts': ['./companies'],
  'src/connectors/hubspot/companies.ts': ['./contacts'],
  'src/cli/main.ts': ['../sandbox/runtime'],
  'src/sandbox/mount.ts': ['./runtime', '../domain/crm'],
  'src/sandbox/runtime.ts': ['../domain/crm', './zoho/index'],
  'src/sandbox/zoho/index.ts': ['../../store/store', '../hubspot/index'],
  'src/sandbox/hubspot/index.ts': [],
};

describe('module boundaries', () => {
  let dir: string;
  let result: ICruiseResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-sync-boundaries-'));
    for (const [file, imports] of Object.entries(TREE)) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), imports.map((i, n) => `import * as m${n} from '${i}';\nexport const u${n} = m${n};\n`).join('') + 'export {};\n');
    }
    const { tsConfig: _real, enhancedResolveOptions: _realResolve, ...options } = config.options ?? {};
    const out = await cruise(['src'], { ...options, baseDir: dir, validate: true, ruleSet: { forbidden: config.forbidden } }, { extensions: ['.ts'] });
    result = out.output as ICruiseResult;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every broken rule, and only those', () => {
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
    expect(found).toEqual(
      [
        'connectors-not-to-store-or-engine: src/connectors/http/rate-budget.ts -> src/store/store.ts',
        'core-not-to-http: src/engine/worker.ts -> src/http/app.ts',
        'http-not-to-vendor: src/http/routes/destinations.ts -> src/connectors/zoho/api.ts',
        'no-cycles: src/connectors/hubspot/companies.ts -> src/connectors/hubspot/contacts.ts',
        'product-not-to-sandbox: src/cli/main.ts -> src/sandbox/runtime.ts',
        'sandbox-not-to-product: src/sandbox/zoho/index.ts -> src/store/store.ts',
        'vendor-not-to-other-vendor: src/connectors/zoho/api.ts -> src/connectors/hubspot/api.ts',
        'vendor-not-to-other-vendor: src/sandbox/zoho/index.ts -> src/sandbox/hubspot/index.ts',
      ].sort(),
    );
    expect(result.summary.error).toBe(found.length);
  });
});
