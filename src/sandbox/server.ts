// Tests and the benchmark build their sandbox server from here; it lives at the mount point.
export { buildSandboxServer } from './mount.js';
