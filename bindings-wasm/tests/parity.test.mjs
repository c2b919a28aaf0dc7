// The WebAssembly render and validate against the native CLI, on every shared parity case
// (fixtures/parity/cases.json; the CLI's output from scripts/parity-expectations, whose file
// ZAVE_PARITY_EXPECTATIONS names): the `tree` is the CLI's `--out` tree path for path and byte
// for byte, the `files` its tenant part; the stream is identical, and so are the findings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import zave, { bytes, text } from './zave.mjs';

const cases = JSON.parse(text('fixtures/parity/cases.json'));
const expectationsFile = process.env.ZAVE_PARITY_EXPECTATIONS;
assert.ok(expectationsFile, 'ZAVE_PARITY_EXPECTATIONS names the file scripts/parity-expectations wrote');
const expected = JSON.parse(readFileSync(expectationsFile, 'utf8'));

/** The index kustomizations a one-contract `--out` render writes besides the tenant's files. */
const isIndex = (path) =>
  /(^|\/)platform\/(tenants|argocd\/applications)\/kustomization\.yaml$/.test(path);
/** The pooler's files, which it also writes for a tenant on a pooler. */
const isPooler = (path) => /(^|\/)platform\/pooler\/[^/]+\.yaml$/.test(path);

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** The contract as the bytes on disk and, when they are UTF-8, as a string too. */
function sources(path) {
  const raw = bytes(path);
  const forms = [['bytes', new Uint8Array(raw)]];
  try {
    forms.push(['string', utf8.decode(raw)]);
  } catch {
    // Not UTF-8: only the bytes can carry it; the core refuses it with its own finding.
  }
  return forms;
}

function renderOptions(c) {
  const options = {};
  if (c.profile !== undefined) options.profile = c.profile;
  if (c.profileFile !== undefined) options.profileYaml = text(c.profileFile);
  for (const key of ['image', 'version', 'bundle', 'strict']) {
    if (c[key] !== undefined) options[key] = c[key];
  }
  return options;
}

describe('render parity with the CLI', () => {
  assert.ok(cases.render.length > 100, 'the shared vectors hold every fixture under every profile');
  for (const c of cases.render) {
    test(c.id, () => {
      const want = expected.render[c.id];
      assert.ok(want, `no CLI expectation for ${c.id}`);
      for (const [form, source] of sources(c.contract)) {
        const got = zave.render(source, renderOptions(c));
        assert.equal(got.ok, want.exit === 0, `${form}: ok matches the CLI's exit status`);
        assert.deepEqual(got.diagnostics, want.diagnostics, `${form}: findings`);
        assert.equal(got.stream, want.stream, `${form}: the stream is the CLI's stdout`);
        if (!got.ok) {
          assert.deepEqual(got.files, []);
          assert.deepEqual(got.tree, []);
          continue;
        }
        const paths = got.tree.map((file) => file.path);
        assert.equal(new Set(paths).size, paths.length, `${form}: no path twice in the tree`);
        assert.deepEqual(Object.fromEntries(got.tree.map((file) => [file.path, file.content])),
          want.tree, `${form}: the tree is the CLI's --out tree, path for path, byte for byte`);
        assert.deepEqual(got.tree.slice(0, got.files.length), got.files,
          `${form}: the tree starts with the tenant's files`);
        const index = got.tree.slice(got.files.length, got.files.length + 2);
        assert.deepEqual(index.map((file) => [isIndex(file.path), file.kind]),
          [[true, 'kustomization'], [true, 'kustomization']], `${form}: then the two index files`);
        const pooler = got.tree.slice(got.files.length + 2);
        assert.ok(pooler.length === 0 || pooler.length === 3, `${form}: then none or the pooler's three`);
        assert.ok(pooler.every((file) => isPooler(file.path)), `${form}: the pooler's files last`);
      }
    });
  }
});

describe('validate parity with the CLI', () => {
  for (const c of cases.validate) {
    test(c.id, () => {
      const want = expected.validate[c.id];
      assert.ok(want, `no CLI expectation for ${c.id}`);
      const options = {};
      if (c.profile !== undefined) options.profile = c.profile;
      if (c.strict !== undefined) options.strict = c.strict;
      for (const [form, source] of sources(c.contract)) {
        const got = zave.validate(source, options);
        assert.equal(got.ok, want.exit === 0, `${form}: ok matches the CLI's exit status`);
        assert.deepEqual(got.diagnostics, want.diagnostics, `${form}: findings`);
      }
    });
  }
});
