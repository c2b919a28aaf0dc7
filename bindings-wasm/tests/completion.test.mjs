// Where the previewer's completion thinks the cursor is: the field path of a key or value in
// block YAML, checked on the shapes a contract takes (nested mappings, list entries).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { contextAt } from '../www/completion.js';

/** The context at the `|` of `text`. */
const at = (text) => contextAt(text.replace('|', ''), text.indexOf('|'));

test('a value is completed for its whole field path', () => {
  assert.deepEqual(at('spec:\n  exposure: |'), { kind: 'value', path: 'spec.exposure', from: 18 });
  assert.equal(at('spec:\n  resources:\n    tier: sm|').path, 'spec.resources.tier');
  assert.equal(at('spec:\n  persistence:\n    engine: |\n  runtime: container\n').path, 'spec.persistence.engine');
});

test('list entries add [] to the path, on the dash line and below it', () => {
  const list = 'spec:\n  capabilities:\n    - name: metrics\n';
  assert.equal(at(`${list}    - name: |`).path, 'spec.capabilities[].name');
  assert.deepEqual(at(`${list}    - |`), { kind: 'key', parent: 'spec.capabilities[]', from: list.length + 6, indent: 6 });
  assert.equal(at('spec:\n  dependencies:\n    - workload: a\n      |').parent, 'spec.dependencies[]');
});

test('keys are completed in the mapping the indentation puts them in', () => {
  assert.deepEqual(at('|'), { kind: 'key', parent: '', from: 0, indent: 0 });
  assert.equal(at('metadata:\n  name: web\nspec:\n  run|').parent, 'spec');
  assert.equal(at('spec:\n  build:\n    mode: dockerfile\n  # a comment\n\n  |').parent, 'spec');
  assert.equal(at('spec:\n  build:\n    |').parent, 'spec.build');
});

test('nothing is offered inside comments, quoted or flow values', () => {
  assert.equal(at('spec:\n  exposure: "pub|'), null);
  assert.equal(at('spec: {exposure: |'), null);
  assert.equal(at('spec:\n  exposure: none # why |'), null);
});
