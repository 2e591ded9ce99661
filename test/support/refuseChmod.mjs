/**
 * Tests only, preloaded into an engine process (`node --import`): every chmod and fchmod fails with
 * EPERM, as for an engine whose user does not own the file. The tests run as root, where that
 * cannot happen; in process, chmodRefusal.testSupport.ts does the same through a mock.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const refuse = (call) => () => {
  throw Object.assign(new Error(`EPERM: operation not permitted, ${call}`), { code: 'EPERM' });
};
fs.chmodSync = refuse('chmod');
fs.fchmodSync = refuse('fchmod');
syncBuiltinESMExports();
