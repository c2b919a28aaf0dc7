// Loads the WebAssembly module built by scripts/build-wasm for the Node tests.
import { readFileSync } from 'node:fs';

export const root = new URL('../../', import.meta.url);
const pkg = new URL('bindings-wasm/www/pkg/', root);
const zave = await import(new URL('zave_wasm.js', pkg));
zave.initSync({ module: readFileSync(new URL('zave_wasm_bg.wasm', pkg)) });

export default zave;

/** A repository file's bytes. */
export const bytes = (path) => readFileSync(new URL(path, root));
/** A repository file's text. */
export const text = (path) => readFileSync(new URL(path, root), 'utf8');
