// flagd's own core, with strict schema validation, refuses every flags file given:
//   node refuse.mjs FILE...
// The files zave refuses (tests/flags/invalid/) must be ones flagd refuses too.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { MemoryStorage } from '@openfeature/flagd-core';

const logger = { error() {}, warn() {}, info() {}, debug() {} };
const files = process.argv.slice(2);
assert.ok(files.length > 0, 'usage: node refuse.mjs FILE...');
for (const file of files) {
  const storage = new MemoryStorage(logger);
  assert.throws(() => storage.setConfigurations(readFileSync(file, 'utf8'), true), `flagd accepts ${file}`);
}
console.log(`flagd-core: refuses all ${files.length} invalid flags files`);
