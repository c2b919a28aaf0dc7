// Loads every flag set ConfigMap of rendered trees into flagd's own evaluation core, with its
// schema validation strict, and resolves each flag's default variant and the targeting cases
// of expectations.json:
//   node resolve.mjs TREE_DIR...
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { FlagdCore, MemoryStorage } from '@openfeature/flagd-core';

const logger = { error() {}, warn() {}, info() {}, debug() {} };
const expectations = JSON.parse(
  readFileSync(new URL('./expectations.json', import.meta.url), 'utf8'),
);

/** Every flag set ConfigMap file under `dir`, found by zave's file naming. */
function flagConfigMaps(dir) {
  return readdirSync(dir, { recursive: true })
    .filter((file) => /(^|\/)configmap-[a-z0-9-]+-flags-[0-9a-f]{8}\.yaml$/.test(file))
    .sort()
    .map((file) => join(dir, file));
}

/** The type flagd resolves a flag as, from its variants' values. */
function flagType(value) {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return 'object';
}

const args = process.argv.slice(2);
const empty = args[0] === '--empty';
const dirs = empty ? args.slice(1) : args;
assert.ok(dirs.length > 0, 'usage: node resolve.mjs [--empty] TREE_DIR...');

let sets = 0;
let resolved = 0;
let targeted = 0;
for (const dir of dirs) {
  const files = flagConfigMaps(dir);
  assert.ok(files.length > 0, `no flag set ConfigMap under ${dir}`);
  for (const file of files) {
    const configMap = parseYaml(readFileSync(file, 'utf8'));
    const text = configMap.data['flags.json'];
    const definition = JSON.parse(text);
    const storage = new MemoryStorage(logger);
    // strict: flagd refuses a set that breaks its published flag and targeting schemas
    storage.setConfigurations(text, true);
    const core = new FlagdCore(storage, logger);
    sets += 1;
    if (empty) {
      assert.equal(storage.getFlags().size, 0, `${file} holds no flag`);
      continue;
    }
    for (const [key, flag] of Object.entries(definition.flags)) {
      const expected = flag.variants[flag.defaultVariant];
      const type = flagType(expected);
      const details = core.resolve(type, key, undefined, {}, logger);
      if (flag.state === 'DISABLED') {
        assert.equal(details.reason, 'DISABLED', `${file}: ${key} is disabled`);
      } else {
        assert.deepEqual(details.value, expected, `${file}: ${key} resolves to its default`);
        assert.equal(details.variant, flag.defaultVariant, `${file}: ${key}'s variant`);
      }
      resolved += 1;
    }
    const tenant = configMap.metadata.labels['zave.io/workload'];
    for (const rule of expectations[tenant] ?? []) {
      const expected = definition.flags[rule.flag].variants[rule.variant];
      const details = core.resolve(flagType(expected), rule.flag, undefined, rule.context, logger);
      assert.equal(details.reason, 'TARGETING_MATCH', `${file}: ${rule.flag} is targeted`);
      assert.equal(details.variant, rule.variant, `${file}: ${rule.flag} with ${JSON.stringify(rule.context)}`);
      assert.deepEqual(details.value, expected);
      targeted += 1;
    }
  }
}
assert.ok(empty || targeted > 0, 'no targeting rule was resolved');
console.log(`flagd-core: ${sets} flag sets, ${resolved} flags at their default, ${targeted} targeting matches`);
