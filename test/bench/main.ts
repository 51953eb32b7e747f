/**
 * `npm run bench -- [name] [--quick] [--dialect sqlite|postgres] [--dist] [--profile]`
 * Runs one benchmark by name, or all of them when none is named.
 */
import { parseArgs } from 'node:util';
import type { BenchOptions } from './options.js';

/** Each benchmark is a module exporting `run(options)`; adding one is one line here. */
const BENCHMARKS: Record<string, () => Promise<{ run(options: BenchOptions): Promise<boolean> }>> = {
  ingest: () => import('./ingest.js'),
  sync: () => import('./sync.js'),
  'batch-memory': () => import('./batch-memory.js'),
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    dialect: { type: 'string', multiple: true },
    dist: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});

const names = positionals.length ? positionals : Object.keys(BENCHMARKS);
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
const dialects = values.dialect ?? ['sqlite', 'postgres'];
if (dialects.some((d) => d !== 'sqlite' && d !== 'postgres')) {
  console.error('--dialect takes sqlite or postgres');
  process.exit(2);
}

const options: BenchOptions = {
  quick: values.quick,
  dialects: dialects as BenchOptions['dialects'],
  useDist: values.dist,
  profile: values.profile,
};
let ok = true;
for (const name of names) ok = (await (await BENCHMARKS[name]!()).run(options)) && ok;
process.exit(ok ? 0 : 1);
