/**
 * The boundaries of src/, checked by `npm run check` rather than by review.
 *
 * Type-only imports count: a connector that imports a store type is coupled to the store
 * all the same, and a cycle through types still means two modules cannot be read apart.
 */

/** The seven vendor folders, in src/connectors/ and in src/sandbox/ alike. */
const VENDORS = '(hubspot|salesforce|pipedrive|zoho|odoo|dynamics|autochat)';

/**
 * What of src/ the sandbox may import beyond its mount point, none of which imports the product:
 * the ids and names of the seven CRMs (a list the fakes and the product must agree on), and
 * src/net/, how addresses are classed and connections pinned (the fakes' webhooks keep to
 * loopback as strictly as the product keeps to public addresses).
 */
const SHARED_WITH_SANDBOX = ['^src/domain/crm[.]ts$', '^src/net/'];

/** Where the product mounts the sandbox; the only module on either side of the boundary. */
const SANDBOX_MOUNT = '^src/sandbox/mount[.]ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'Two modules that import each other, directly or around a loop, cannot be understood or tested apart.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-http',
      comment: 'The engine, connectors, store and domain serve every entry point; the HTTP server is only one of them.',
      severity: 'error',
      from: { path: '^src/(engine|connectors|store|domain)/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'http-not-to-vendor',
      comment: 'Routes reach a CRM through the connector registry, so a new CRM needs no new route code.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: `^src/connectors/${VENDORS}/` },
    },
    {
      name: 'connectors-not-to-store-or-engine',
      comment: 'A connector speaks to its CRM and nothing else; what it needs from the database reaches it through an interface.',
      severity: 'error',
      from: { path: '^src/connectors/' },
      to: { path: '^src/(store|engine)/' },
    },
    {
      name: 'vendor-not-to-other-vendor',
      comment: 'One CRM, one folder: a vendor folder shares code with another only through a shared folder.',
      severity: 'error',
      from: { path: `^src/(connectors|sandbox)/${VENDORS}/` },
      to: { path: `^src/(connectors|sandbox)/${VENDORS}/`, pathNot: '^src/$1/$2/' },
    },
    {
      name: 'sandbox-not-to-product',
      comment: 'The fake CRMs imitate vendors, who know nothing of crm-sync.',
      severity: 'error',
      from: { path: '^src/sandbox/', pathNot: SANDBOX_MOUNT },
      to: { path: '^src/', pathNot: ['^src/sandbox/', ...SHARED_WITH_SANDBOX] },
    },
    {
      name: 'product-not-to-sandbox',
      comment: 'The product reaches the fake CRMs through their mount point only, so the sandbox can change behind it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/sandbox/' },
      to: { path: '^src/sandbox/', pathNot: SANDBOX_MOUNT },
    },
  ],
  options: {
    includeOnly: '^src/',
    // Tests beside the code set up whatever they need (a store for a rate budget's quota); the rules are about what ships.
    exclude: { path: '[.]test[.]ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js'] },
  },
};
