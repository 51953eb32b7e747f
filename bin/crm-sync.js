#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run on install by the prepare script).
import('../dist/cli/main.js');
