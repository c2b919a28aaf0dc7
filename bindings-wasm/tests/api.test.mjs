// The JavaScript surface of the WebAssembly binding: plain-object results, the options it
// accepts and refuses, ZaveError for refusals and panics, and the data it shares with the CLI
// (schemas, profiles, version, diff).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';

import zave, { root, text } from './zave.mjs';

const example = text('examples/zave.yaml');

/** Whether `value` is JSON-like data all the way down: plain objects, arrays, primitives. */
function isPlain(value) {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlain);
  return Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(isPlain);
}

/** The error `run` throws, checked to be a ZaveError of `kind`. */
function zaveError(run, kind) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof Error, 'a real Error, with a stack');
    assert.equal(error.name, 'ZaveError');
    assert.equal(error.kind, kind, error.message);
    assert.ok(Array.isArray(error.diagnostics));
    return error;
  }
  assert.fail(`expected a ZaveError of kind ${kind}`);
}

test('results are plain JSON-like objects, never Maps or classes', () => {
  const rendered = zave.render(example, { profile: 'aws' });
  assert.ok(isPlain(rendered));
  assert.deepEqual(Object.keys(rendered).sort(), ['diagnostics', 'files', 'fixes', 'hash', 'name', 'ok', 'stream', 'tree']);
  assert.deepEqual(Object.keys(rendered.files[0]), ['path', 'kind', 'content']);
  assert.deepEqual(Object.keys(rendered.tree.at(-1)), ['path', 'kind', 'content']);
  const invalid = zave.validate('spec: {runtime: python}\n');
  assert.ok(isPlain(invalid));
  assert.deepEqual(Object.keys(invalid.diagnostics[0]), [
    'code', 'severity', 'path', 'message', 'line', 'column', 'end_line', 'end_column', 'help',
  ]);
  assert.ok(isPlain(zave.diff(example, { profile: 'kind' }, { profile: 'aws' })));
  assert.ok(isPlain(zave.profiles()));
  assert.ok(isPlain(zave.schema('contract')));
  assert.ok(isPlain(zave.summary(example, { profile: 'aws' })));
  assert.ok(isPlain(zave.offers({ profile: 'aws' })));
});

test('a contract with errors comes back with ok false and positioned findings, not thrown', () => {
  const source = example.replace('exposure: public-http', 'exposure: public-htp');
  const line = source.split('\n').findIndex((l) => l.includes('public-htp')) + 1;
  const result = zave.render(source, { profile: 'kind' });
  assert.equal(result.ok, false);
  assert.deepEqual(result.files, []);
  assert.deepEqual(result.tree, []);
  assert.equal(result.stream, '');
  const finding = result.diagnostics.find((d) => d.path === 'spec.exposure');
  assert.equal(finding.severity, 'error');
  assert.equal(finding.line, line);
  assert.equal(finding.column, source.split('\n')[line - 1].indexOf('public-htp') + 1);
  assert.match(finding.help, /did you mean "public-http"\?/);
});

test('render defaults to the kind profile, as the CLI does', () => {
  assert.deepEqual(zave.render(example), zave.render(example, { profile: 'kind' }));
  assert.deepEqual(zave.render(example, null), zave.render(example, { profile: 'kind' }));
});

test('the same inputs give the same output, call after call', () => {
  const first = zave.render(example, { profile: 'linode' });
  for (let i = 0; i < 5; i++) assert.deepEqual(zave.render(example, { profile: 'linode' }), first);
});

test('strict turns the defaults zave applied into errors', () => {
  const relaxed = zave.render(example, { profile: 'kind' });
  assert.deepEqual(relaxed.diagnostics.map((d) => [d.code, d.severity]), [['W004', 'warning']]);
  const strict = zave.render(example, { profile: 'kind', strict: true });
  assert.equal(strict.ok, false);
  assert.deepEqual(strict.diagnostics.map((d) => [d.code, d.severity]), [['W004', 'error']]);
});

test('a custom profile is given as its text', () => {
  const custom = zave.render(example, { profileYaml: text('fixtures/profiles/valid/gateway.yaml') });
  assert.equal(custom.ok, true);
  assert.ok(custom.files.some((f) => f.path.includes('/httproute-')), 'the gateway profile routes with an HTTPRoute');
});

test('an invalid custom profile is a ZaveError of kind profile with its findings', () => {
  const error = zaveError(
    () => zave.render(example, { profileYaml: 'apiVersion: zave.io/v1\nkind: Profile\nmetadata: {name: x}\nspec: {}\n' }),
    'profile',
  );
  assert.match(error.message, /^the custom profile is invalid: Z\d{3}: /);
  assert.ok(error.diagnostics.length > 0);
  assert.ok(error.diagnostics.every((d) => d.line === 4), 'positioned in the profile text');
});

test('flags are data passed through: the ConfigMap serves them, and a bad set is a ZaveError of kind flags', () => {
  const contract = text('fixtures/contracts/valid/feature-flags.yaml');
  const flags = text('fixtures/contracts/valid/feature-flags.flags.json');
  const rendered = zave.render(contract, { flags });
  assert.equal(rendered.ok, true);
  assert.ok(!rendered.diagnostics.some((d) => d.code === 'W005'));
  const configMap = rendered.files.find((f) => /\/configmap-shopfront-flags-[0-9a-f]{8}\.yaml$/.test(f.path));
  assert.ok(configMap, 'the flag set has its ConfigMap');
  assert.match(configMap.content, /"new-checkout"/);
  assert.ok(zave.render(contract).diagnostics.some((d) => d.code === 'W005'));
  const error = zaveError(() => zave.render(contract, { flags: flags.replace('"defaultVariant": "green"', '"defaultVariant": "blue"') }), 'flags');
  assert.deepEqual(error.diagnostics.map((d) => [d.code, d.path]), [['Z132', 'flags.banner-colour.defaultVariant']]);
  assert.equal(typeof error.diagnostics[0].line, 'number');
});

test('bad options are ZaveErrors of kind options that say what is wrong', () => {
  assert.match(zaveError(() => zave.render(example, { profle: 'aws' }), 'options').message,
    /unknown field `profle`, expected one of `profile`/);
  assert.match(zaveError(() => zave.render(example, { strict: 'yes' }), 'options').message,
    /invalid type: string "yes", expected a boolean/);
  assert.match(zaveError(() => zave.render(example, { profile: 'gcp' }), 'options').message,
    /unknown profile "gcp"; the built-in profiles are kind, linode, aws/);
  assert.match(zaveError(() => zave.render(example, { profile: 'kind', profileYaml: 'x' }), 'options').message,
    /not both/);
  assert.match(zaveError(() => zave.render(example, 'aws'), 'options').message, /must be an object/);
  assert.match(zaveError(() => zave.render(42), 'options').message, /must be a string or a Uint8Array/);
  assert.match(zaveError(() => zave.validate(example, { image: 'x' }), 'options').message,
    /unknown field `image`/);
});

test('bytes that are not UTF-8 reach the core and get its finding', () => {
  const result = zave.validate(new Uint8Array([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xff, 0x0a]));
  assert.equal(result.ok, false);
  assert.match(result.diagnostics[0].message, /UTF-8/);
});

test('a panic reaches JavaScript as a ZaveError and the module recovers', () => {
  const before = zave.render(example, { profile: 'aws' });
  const error = zaveError(() => zave.__panicForTests(), 'panic');
  assert.match(error.message, /zave panicked .*a deliberate panic, to test the bridge/s);
  // The next calls run on a fresh instance, with string arguments as with any other.
  assert.deepEqual(zave.render(example, { profile: 'aws' }), before);
  zaveError(() => zave.__panicForTests(), 'panic');
  assert.deepEqual(zave.validate(example).ok, true);
});

test('the schemas are the committed ones', () => {
  assert.deepEqual(zave.schema('contract'), JSON.parse(text('schemas/contract.schema.json')));
  assert.deepEqual(zave.schema('profile'), JSON.parse(text('schemas/profile.schema.json')));
  assert.match(zaveError(() => zave.schema('workload'), 'options').message, /contract, profile/);
});

test('the built-in profiles, their sources and the version', () => {
  assert.deepEqual(zave.profiles(), [
    { name: 'kind', classification: 'local' },
    { name: 'linode', classification: 'sandbox' },
    { name: 'aws', classification: 'production' },
  ]);
  for (const { name } of zave.profiles()) {
    assert.equal(zave.profileSource(name), text(`core/profiles/${name}.yaml`));
  }
  zaveError(() => zave.profileSource('gcp'), 'options');
  const cargo = text('Cargo.toml');
  assert.equal(zave.version(), cargo.match(/^\[workspace\.package\][^[]*?^version = "([^"]+)"/ms)[1]);
});

test('the diff between two profiles is the one `zave diff` prints', () => {
  const binary = process.env.ZAVE_BINARY;
  assert.ok(binary, 'ZAVE_BINARY names the native CLI');
  for (const [from, to] of [['kind', 'aws'], ['linode', 'kind']]) {
    const result = zave.diff(example, { profile: from }, { profile: to });
    assert.equal(result.ok, true);
    let cli = '';
    try {
      execFileSync(binary, ['diff', 'examples/zave.yaml', '--profile', from, '--to-profile', to],
        { cwd: root, encoding: 'utf8' });
    } catch (error) {
      assert.equal(error.status, 1, 'exit 1: something differs');
      cli = error.stdout;
    }
    assert.ok(cli.length > 0);
    assert.equal(result.files.map((f) => f.unified).join(''), cli);
    assert.ok(result.files.every((f) => ['added', 'removed', 'modified'].includes(f.change)));
  }
  const same = zave.diff(example, { profile: 'aws' }, { profile: 'aws' });
  assert.deepEqual(same.files, []);
  const invalid = zave.diff('kind: Workload\n', { profile: 'kind' }, { profile: 'aws' });
  assert.equal(invalid.ok, false);
  assert.deepEqual(invalid.files, []);
  assert.ok(invalid.fromDiagnostics.length > 0 && invalid.toDiagnostics.length > 0);
});

describe('editor support: fixes, summary, offers', () => {
  test('a near miss comes with its fix, by diagnostic index', () => {
    const result = zave.render(text('examples/zave.yaml').replace('public-http', 'publik-http'), { profile: 'kind' });
    assert.equal(result.ok, false);
    const index = result.diagnostics.findIndex((d) => d.code === 'Z113');
    assert.deepEqual(result.fixes, [{ diagnostic: index, replacement: 'public-http' }]);
    assert.deepEqual(zave.validate(text('examples/zave.yaml'), {}).fixes, []);
  });

  test('the summary names the database and every capability with its carrier', () => {
    const summary = zave.summary(text('examples/zave.yaml'), { profile: 'aws' });
    assert.equal(summary.ok, true);
    const topics = new Set(summary.lines.map((line) => line.topic));
    for (const topic of ['namespace', 'reached', 'autoscaling', 'database', 'secret', 'capability', 'network']) {
      assert.ok(topics.has(topic), topic);
    }
    const paths = new Set(zave.render(text('examples/zave.yaml'), { profile: 'aws' }).files.map((f) => f.path));
    for (const line of summary.lines) assert.ok(paths.has(line.path), line.path);
    const refused = zave.summary('kind: Workload\n', { profile: 'aws' });
    assert.deepEqual([refused.ok, refused.lines], [false, []]);
    assert.ok(refused.diagnostics.length > 0);
  });

  test('offers follow the profile', () => {
    const tier = (profile) => zave.offers({ profile }).find((f) => f.path === 'spec.resources.tier')
      .values.find((o) => o.value === 'large');
    assert.deepEqual([tier('kind').standing, tier('linode').standing, tier('linode').code], ['allowed', 'refused', 'Z303']);
    assert.equal(zave.offers({}).find((f) => f.path === 'spec.delivery').values
      .find((o) => o.value === 'canary').standing, 'reserved');
    zaveError(() => zave.offers({ profile: 'gcp' }), 'options');
  });
});
