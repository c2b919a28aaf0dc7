// zave's WebAssembly module from Node: validate a contract, render it under a profile, and see
// what changes in production. Build the module first with scripts/build-wasm, then:
//
//   node examples/wasm-node.mjs [CONTRACT] [PROFILE]
import { readFileSync } from 'node:fs';

import * as zave from '../bindings-wasm/www/pkg/zave_wasm.js';

const pkg = new URL('../bindings-wasm/www/pkg/', import.meta.url);
zave.initSync({ module: readFileSync(new URL('zave_wasm_bg.wasm', pkg)) });

const [contractPath = new URL('zave.yaml', import.meta.url), profile = 'kind'] = process.argv.slice(2);
// Bytes or a string: bytes let the core report a file that is not UTF-8.
const contract = readFileSync(contractPath);

function main() {
  const checked = zave.validate(contract, { profile });
  for (const d of checked.diagnostics) {
    console.error(`${d.severity}[${d.code}]: ${d.path}: ${d.message} (line ${d.line}, column ${d.column})`);
    if (d.help) console.error(`  help: ${d.help}`);
  }
  if (!checked.ok) return 1;

  const rendered = zave.render(contract, { profile, version: 'sha-0123abc' });
  console.log(`zave ${zave.version()}: ${rendered.name} (${rendered.hash}) under ${profile}:`);
  for (const file of rendered.files) console.log(`  ${file.path}  (${file.content.length} bytes)`);

  const toProduction = zave.diff(contract, { profile }, { profile: 'aws' });
  console.log(`moving to aws changes ${toProduction.files.length} files:`);
  for (const file of toProduction.files) console.log(`  ${file.change.padEnd(8)} ${file.path}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  // Refusals (bad options, an unknown or invalid profile) are ZaveErrors with a kind.
  if (error.name !== 'ZaveError') throw error;
  console.error(`zave: ${error.kind}: ${error.message}`);
  process.exitCode = 2;
}
