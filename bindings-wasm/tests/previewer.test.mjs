// The previewer page end to end: served on loopback, driven in the system's headless Chromium
// through playwright-core. Screenshots go to target/previewer/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { serve } from '../serve.mjs';
import { EXAMPLE } from '../www/example.js';
import zave, { root, text } from './zave.mjs';

const artefacts = fileURLToPath(new URL('target/previewer/', root));
mkdirSync(artefacts, { recursive: true });

let server;
let browser;
let base;

before(async () => {
  server = await serve(0);
  base = `http://127.0.0.1:${server.address().port}/`;
  // playwright-core launches with a fresh temporary profile (its own --user-data-dir). The
  // machine may have no network: these flags keep Chromium from calling home.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

/** A new page on `url` (the previewer by default), once the app has rendered. */
async function open(url = base) {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(new Error(message.text()));
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  page.errors = errors;
  return page;
}

/** The contract editor's text. */
const editorText = (page) => page.evaluate(() => document.getElementById('editor').editorView.state.doc.toString());

/** Selects `word` in the editor, as a person would with the mouse, and types `replacement`. */
async function replaceInEditor(page, word, replacement) {
  await page.keyboard.press('Escape'); // closes an open completion list, which covers the text
  await page.locator('#editor .cm-content').click();
  await page.evaluate((word) => {
    const view = document.getElementById('editor').editorView;
    const start = view.state.doc.toString().indexOf(word);
    view.dispatch({ selection: { anchor: start, head: start + word.length } });
  }, word);
  if (replacement) await page.keyboard.type(replacement);
  else await page.keyboard.press('Backspace');
}

/** Puts the cursor at the end of the line holding `word`. */
async function cursorAfter(page, word) {
  await page.keyboard.press('Escape');
  await page.locator('#editor .cm-content').click();
  await page.evaluate((word) => {
    const view = document.getElementById('editor').editorView;
    const line = view.state.doc.lineAt(view.state.doc.toString().indexOf(word));
    view.dispatch({ selection: { anchor: line.to } });
  }, word);
}

/** The editor's selection: its line and the text it covers. */
const selection = (page) => page.evaluate(() => {
  const view = document.getElementById('editor').editorView;
  const { from, to } = view.state.selection.main;
  return {
    focused: view.hasFocus,
    line: view.state.doc.lineAt(from).number,
    selected: view.state.sliceDoc(from, to),
  };
});

/** The labels and details the completion list offers. */
const completions = async (page) => {
  await page.locator('.cm-tooltip-autocomplete li').first().waitFor();
  return page.locator('.cm-tooltip-autocomplete li').evaluateAll((items) => items.map((item) => [
    item.querySelector('.cm-completionLabel')?.textContent, item.querySelector('.cm-completionDetail')?.textContent ?? '']));
};

const lineOf = (source, word) => source.split('\n').findIndex((line) => line.includes(word)) + 1;

/** Every file below `dir`, by its `/`-separated path relative to `dir`, in path order. */
function readTree(dir) {
  const tree = {};
  const walk = (relative) => {
    for (const name of readdirSync(join(dir, relative))) {
      const path = relative ? `${relative}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else tree[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The paths of a ustar archive's entries, in the archive's order. */
function tarEntries(archive) {
  const field = (block, offset, length) =>
    block.subarray(offset, offset + length).toString('utf8').replace(/\0.*$/s, '');
  const paths = [];
  for (let offset = 0; offset + 512 <= archive.length;) {
    const block = archive.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const [name, prefix] = [field(block, 0, 100), field(block, 345, 155)];
    paths.push(prefix ? `${prefix}/${name}` : name);
    const size = parseInt(field(block, 124, 12), 8);
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return paths;
}

describe('the previewer', () => {
  test('the example renders on load', async () => {
    const page = await open();
    assert.equal(await editorText(page), EXAMPLE);
    assert.equal(await page.inputValue('#profile'), 'kind');
    const files = await page.locator('#files button').allTextContents();
    assert.ok(files.includes('deployment-payments-api.yaml'), files.join(' '));
    assert.equal(files.length, zave.render(EXAMPLE, { profile: 'kind' }).files.length);
    assert.match(await page.textContent('#file-content'), /kind: Deployment/);
    assert.equal(await page.textContent('#file-path'), 'clusters/kind/tenants/payments-api/deployment-payments-api.yaml');
    assert.ok(await page.locator('#file-content .cm-line span').count() > 0, 'the file is highlighted');
    assert.ok(await page.locator('#editor .cm-line span').count() > 0, 'the contract is highlighted');
    assert.deepEqual(await page.locator('#diagnostics li').evaluateAll((items) =>
      items.map((item) => [item.dataset.code, item.className])), [['W004', 'warning']]);
    assert.match(await page.textContent('#status'), /^rendered in \d+\.\d ms$/);
    assert.equal(await page.isVisible('#stale'), false);
    await page.screenshot({ path: join(artefacts, 'previewer.png') });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('an invalid value is marked on its node, with hover, and a click moves the cursor there', async () => {
    const page = await open();
    await replaceInEditor(page, 'public-http', 'public-htp');
    const line = lineOf(EXAMPLE, 'exposure: public-http');
    const item = page.locator('#diagnostics li.error');
    await item.waitFor();
    assert.equal(await item.count(), 1);
    assert.equal(await item.getAttribute('data-code'), 'Z113');
    assert.equal(await item.getAttribute('data-line'), String(line));
    assert.match(await item.textContent(), /spec\.exposure/);
    const mark = page.locator('#editor .cm-lintRange-error');
    assert.equal(await mark.textContent(), 'public-htp', 'the mark covers the node');
    await mark.hover();
    const tooltip = page.locator('.cm-tooltip-lint');
    await tooltip.waitFor();
    assert.match(await tooltip.textContent(), /Z113/);
    assert.match(await tooltip.textContent(), /help: /);
    await page.screenshot({ path: join(artefacts, 'previewer-diagnostic.png') });

    // Tab indents with spaces rather than leaving the editor.
    await cursorAfter(page, 'exposure: public-htp');
    await page.keyboard.press('Tab');
    assert.match(await editorText(page), /exposure: public-htp {2}\n/);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');

    await item.click();
    assert.deepEqual(await selection(page), { focused: true, line, selected: 'public-htp' });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('with errors the last good tree stays, dimmed, under a banner saying why', async () => {
    const page = await open();
    const before = await page.locator('#files button').allTextContents();
    await replaceInEditor(page, 'capabilities:', 'capabilitis:');
    await replaceInEditor(page, 'tier: standard', 'tier: gpu');
    await page.locator('#diagnostics li.error').first().waitFor();
    const errors = await page.locator('#diagnostics li.error').count();
    assert.equal(errors, 2, 'the unknown key and the unknown tier');
    assert.equal(await page.textContent('#status'), 'not rendered: 2 errors');
    const banner = await page.textContent('#stale');
    assert.ok(await page.isVisible('#stale'));
    assert.match(banner, /^Stale: /);
    assert.match(banner, new RegExp(`${errors} errors`));
    assert.deepEqual(await page.locator('#files button').allTextContents(), before, 'the last good tree stays');
    assert.match(await page.textContent('#file-content'), /kind: Deployment/);
    assert.equal(await page.isDisabled('#download'), true, 'no download of a stale tree');
    assert.equal(await page.evaluate(() => document.getElementById('right').classList.contains('stale-view')), true);
    const opacity = await page.evaluate(() => getComputedStyle(document.getElementById('files-view')).opacity);
    assert.ok(Number(opacity) < 1, `dimmed (${opacity})`);
    await page.screenshot({ path: join(artefacts, 'previewer-stale.png') });
    await replaceInEditor(page, 'tier: gpu', 'tier: standard');
    await replaceInEditor(page, 'capabilitis:', 'capabilities:');
    await page.waitForFunction(() => document.getElementById('stale').hidden);
    assert.match(await page.textContent('#status'), /^rendered in /);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('completion offers the words zave allows after `exposure: `, reserved ones marked', async () => {
    const page = await open();
    await replaceInEditor(page, 'exposure: public-http', 'exposure: ');
    const offered = await completions(page);
    const labels = offered.map(([label]) => label);
    assert.ok(labels.includes('public-http'), labels.join(' '));
    assert.deepEqual(labels.slice().sort(), zave.offers({ profile: 'kind' })
      .find((f) => f.path === 'spec.exposure').values.map((o) => o.value).sort());
    await page.screenshot({ path: join(artefacts, 'previewer-completion.png') });
    await page.keyboard.press('Escape');

    await replaceInEditor(page, 'delivery: rolling', 'delivery: ');
    const deliveries = Object.fromEntries(await completions(page));
    assert.equal(deliveries.rolling, '');
    assert.match(deliveries.canary, /reserved \(Z201\)/);
    await page.keyboard.press('Escape');

    await page.selectOption('#profile', 'linode');
    await replaceInEditor(page, 'tier: standard', 'tier: ');
    const tiers = Object.fromEntries(await completions(page));
    assert.match(tiers.large, /refused by the profile \(Z303\)/);
    assert.equal(tiers.small, '');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the quick fix for `publik-http` fixes the text and clears the diagnostic', async () => {
    const page = await open();
    await replaceInEditor(page, 'public-http', 'publik-http');
    const fix = page.locator('#diagnostics li.error button.fix');
    await fix.waitFor();
    assert.equal(await fix.textContent(), 'Replace with "public-http"');
    await page.screenshot({ path: join(artefacts, 'previewer-quick-fix.png') });
    await fix.click();
    await page.waitForFunction(() => !document.querySelector('#diagnostics li.error'));
    assert.equal(await editorText(page), EXAMPLE);
    assert.equal(await page.locator('#editor .cm-lintRange-error').count(), 0);

    // The same fix from the mark's hover card.
    await replaceInEditor(page, 'public-http', 'publik-http');
    await page.locator('#editor .cm-lintRange-error').hover();
    await page.locator('.cm-tooltip-lint .cm-diagnosticAction').click();
    await page.waitForFunction(() => !document.querySelector('#diagnostics li.error'));
    assert.equal(await editorText(page), EXAMPLE);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('a valid contract can be written from an empty editor with completion and fixes only', async () => {
    const page = await open();
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    const pick = async (label) => {
      await page.locator(`.cm-tooltip-autocomplete li:has(.cm-completionLabel:text-is("${label}"))`).click();
    };
    const complete = async (label) => {
      await page.keyboard.press('Control+Space');
      await pick(label);
    };
    await complete('apiVersion');
    await complete('zave.io/v1');
    await page.keyboard.press('Enter');
    await complete('kind');
    await complete('Workload');
    await page.keyboard.press('Enter');
    await complete('metadata');
    await complete('name');
    await page.keyboard.type('Web_App');
    await page.locator('#diagnostics li.error button.fix').first().waitFor();
    await page.locator('#diagnostics li.error button.fix').first().click();
    await page.locator('#editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Backspace'); // the indentation, as one unit
    assert.equal(await page.evaluate(() => {
      const { state } = document.getElementById('editor').editorView;
      return state.doc.lineAt(state.selection.main.head).text;
    }), '', 'a fresh top-level line');
    await complete('spec');
    await complete('runtime');
    await complete('container');
    await page.keyboard.press('Enter');
    await complete('exposure');
    await complete('public-http');
    await page.keyboard.press('Enter');
    await complete('delivery');
    await complete('rolling');
    await page.keyboard.press('Enter');
    await complete('capabilities');
    await complete('name');
    await complete('metrics');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Backspace'); // out of the list entry
    await page.keyboard.press('Backspace'); // and out of the list
    await complete('resources');
    await complete('tier');
    await complete('small');
    await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('rendered'));
    const contract = await editorText(page);
    const checked = zave.validate(contract, { profile: 'kind', strict: true });
    assert.deepEqual([checked.ok, checked.diagnostics], [true, []], contract);
    assert.match(contract, /name: web-app/);
    assert.match(contract, /\n {2}capabilities:\n {4}- name: metrics\n {2}resources:\n {4}tier: small/);
    await page.screenshot({ path: join(artefacts, 'previewer-written.png') });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the Summary tab says what the example gets under aws, linking to the files', async () => {
    const page = await open();
    await page.selectOption('#profile', 'aws');
    await page.click('#tab-summary');
    const lines = page.locator('#summary li.summary-line');
    await lines.first().waitFor();
    const expected = zave.summary(EXAMPLE, { profile: 'aws' }).lines;
    assert.equal(await lines.count(), expected.length);
    const database = page.locator('#summary li[data-topic="database"]');
    assert.match(await database.textContent(), /postgres/);
    assert.match(await database.textContent(), /pooler/);
    const capabilities = await page.locator('#summary li[data-topic="capability"] .text').allTextContents();
    assert.deepEqual(capabilities.map((t) => t.split(':')[0]), ['metrics', 'tracing']);
    assert.match(await page.textContent('#summary-head'), /payments-api gets under profile aws/);
    await page.screenshot({ path: join(artefacts, 'previewer-summary.png') });

    // Without metrics in the contract, the summary says aws injects it.
    await replaceInEditor(page, '    - name: metrics\n', '');
    await page.waitForFunction(() => /injected by profile aws/.test(document.getElementById('summary').textContent));
    const injected = await page.locator('#summary li[data-topic="capability"]', { hasText: 'metrics:' }).textContent();
    assert.match(injected, /metrics: .*injected by profile aws/);
    assert.match(injected, /W003/);

    // With errors the last good summary stays, under the stale banner.
    const shown = await lines.count();
    await replaceInEditor(page, 'tier: standard', 'tier: standrd');
    await page.locator('#stale').waitFor();
    assert.equal(await lines.count(), shown);
    assert.match(await page.textContent('#summary'), /injected by profile aws/);
    await replaceInEditor(page, 'tier: standrd', 'tier: standard');
    await page.waitForFunction(() => document.getElementById('stale').hidden);

    // A line's object opens its file.
    await page.locator('#summary li[data-topic="database"] .carrier').click();
    assert.equal(await page.isVisible('#files-view'), true);
    assert.match(await page.textContent('#file-path'), /job-payments-api-db-init-/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the Files pane heads each file with its path, wraps long names and copies the YAML', async () => {
    const page = await open();
    const name = 'networkpolicy-payments-api-db-provision.yaml';
    const button = page.locator(`#files button[data-path$="/${name}"]`);
    assert.equal(await button.getAttribute('title'), `clusters/kind/platform/tenants/payments-api/${name}`);
    const fits = await button.evaluate((node) => node.scrollWidth <= node.clientWidth);
    assert.equal(fits, true, 'a long name wraps rather than being cut');
    await button.click();
    assert.equal(await page.textContent('#file-path'), await button.getAttribute('title'));
    await page.click('#copy');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const file = zave.render(EXAMPLE, { profile: 'kind' }).files.find((f) => f.path.endsWith(name));
    assert.equal(copied, file.content);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('switching profile changes the rendered ingress', async () => {
    const page = await open();
    await page.click('#files button:text-is("ingress-payments-api.yaml")');
    assert.match(await page.textContent('#file-content'), /ingressClassName: nginx/);
    await page.selectOption('#profile', 'aws');
    const content = await page.textContent('#file-content');
    assert.match(content, /ingressClassName: alb/);
    assert.match(content, /alb\.ingress\.kubernetes\.io/);
    assert.equal(await page.getAttribute('#file-content', 'data-path'),
      'clusters/aws-production/tenants/payments-api/ingress-payments-api.yaml');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the diff view shows what changes between two profiles', async () => {
    const page = await open();
    await page.click('#tab-diff');
    assert.equal(await page.inputValue('#diff-to'), 'aws');
    const ingress = page.locator('#diff section[data-path="tenants/payments-api/ingress-payments-api.yaml"]');
    assert.equal(await ingress.getAttribute('data-change'), 'modified');
    assert.ok((await ingress.locator('.del').allTextContents()).includes('-  ingressClassName: nginx'));
    assert.ok((await ingress.locator('.add').allTextContents()).includes('+  ingressClassName: alb'));
    const added = await page.locator('#diff section[data-change="added"]').evaluateAll((sections) =>
      sections.map((section) => section.dataset.path));
    assert.ok(added.some((path) => path.includes('horizontalpodautoscaler')), added.join(' '));
    const differences = zave.diff(EXAMPLE, { profile: 'kind' }, { profile: 'aws' }).files;
    const expected = differences.map((f) => f.path);
    assert.deepEqual(await page.locator('#diff section').evaluateAll((s) => s.map((x) => x.dataset.path)), expected);
    const count = (change) => differences.filter((f) => f.change === change).length;
    assert.equal(await page.textContent('.diff-summary'),
      `${expected.length} files differ: ${count('added')} added, ${count('removed')} removed, ${count('modified')} modified`);
    assert.equal(await page.isVisible('#files-view'), false, 'the diff replaces the file view');
    await page.screenshot({ path: join(artefacts, 'previewer-diff.png') });
    await page.selectOption('#diff-to', 'kind');
    assert.equal(await page.textContent('#diff'), 'no differences');
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the URL reproduces the state', async () => {
    const page = await open();
    await replaceInEditor(page, 'tier: standard', 'tier: small');
    await page.selectOption('#profile', 'linode');
    await page.fill('#image', 'ghcr.io/zavestudios/payments-api:v1.2.3');
    await page.click('#files button:text-is("service-payments-api.yaml")');
    await page.click('#tab-diff');
    await page.selectOption('#diff-to', 'aws');
    const url = page.url();
    const snapshot = async (p) => ({
      contract: await editorText(p),
      profile: await p.inputValue('#profile'),
      image: await p.inputValue('#image'),
      diffTo: await p.inputValue('#diff-to'),
      diffTab: await p.getAttribute('#tab-diff', 'aria-selected'),
      file: await p.getAttribute('#file-content', 'data-path'),
      diff: await p.textContent('#diff'),
    });
    const state = await snapshot(page);
    assert.match(state.contract, /tier: small/);
    assert.equal(state.file, 'clusters/linode-sandbox/tenants/payments-api/service-payments-api.yaml');
    await page.close();

    const again = await open(url);
    assert.deepEqual(await snapshot(again), state);
    assert.deepEqual(again.errors, []);
    await again.close();
  });

  test('a custom profile can be pasted', async () => {
    const page = await open();
    await page.selectOption('#profile', 'custom');
    await page.fill('#custom-profile', text('fixtures/profiles/valid/gateway.yaml'));
    await page.locator('#files button:text-matches("^httproute-")').waitFor();
    await page.fill('#custom-profile', 'apiVersion: zave.io/v1\nkind: Profile\n');
    await page.locator('#profile-diagnostics li').first().waitFor();
    assert.match(await page.textContent('#profile-diagnostics'), /Z111/);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the download holds the tree `zave render --out` writes, index included', async () => {
    const binary = process.env.ZAVE_BINARY;
    assert.ok(binary, 'ZAVE_BINARY names the native CLI');
    const page = await open();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'payments-api-kind.tar');
    const folder = mkdtempSync(join(tmpdir(), 'zave-previewer-'));
    try {
      const archive = join(folder, 'tree.tar');
      await download.saveAs(archive);
      const extracted = join(folder, 'download');
      const written = join(folder, 'cli');
      mkdirSync(extracted);
      mkdirSync(written);
      execFileSync('tar', ['-xf', archive, '-C', extracted]);
      execFileSync(binary, ['render', 'examples/zave.yaml', '--profile', 'kind', '--out', written],
        { cwd: fileURLToPath(root), stdio: 'pipe' });
      const downloaded = readTree(extracted);
      assert.deepEqual(Object.keys(downloaded), Object.keys(readTree(written)),
        'the same paths as the CLI writes');
      assert.deepEqual(downloaded, readTree(written), 'the same bytes as the CLI writes');
      for (const index of ['platform/flux/kustomization.yaml',
        'platform/flux/tenants-00.yaml', 'platform/flux/applications-31.yaml']) {
        assert.match(downloaded[`clusters/kind/${index}`] ?? '', /^kind: Kustomization$/m, index);
      }
      const order = tarEntries(readFileSync(archive));
      assert.deepEqual(order, zave.render(EXAMPLE, { profile: 'kind' }).tree.map((f) => f.path),
        'the archive holds the module\'s tree, in its order');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('re-rendering the example takes under 5 ms in the page', async () => {
    const page = await open();
    const timing = await page.evaluate(async (source) => {
      // A second instance of the module, beside the page's own (bundled) one.
      const zave = await import('./pkg/zave_wasm.js');
      await zave.default({ module_or_path: './pkg/zave_wasm_bg.wasm' });
      const times = [];
      for (let i = 0; i < 200; i++) {
        const started = performance.now();
        zave.render(source, { profile: 'aws' });
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return { median: times[100], p90: times[180] };
    }, EXAMPLE);
    console.log(`render in the page: median ${timing.median.toFixed(2)} ms, p90 ${timing.p90.toFixed(2)} ms`);
    assert.ok(timing.median < 5, `median ${timing.median} ms`);
    // A keystroke's whole update: the render and the page's redraw, as the page times it, on
    // the Files tab and on the Summary tab (which asks the core for the summary as well).
    for (const tab of ['files', 'summary']) {
      await page.click(`#tab-${tab}`);
      const updates = [];
      await cursorAfter(page, 'tier: standard');
      for (let i = 0; i < 40; i++) {
        const before = await page.getAttribute('body', 'data-updates');
        await page.keyboard.press(i % 2 ? 'Backspace' : 'Space');
        await page.waitForFunction((before) => document.body.dataset.updates !== before, before);
        updates.push(Number(await page.getAttribute('body', 'data-update-ms')));
      }
      updates.sort((a, b) => a - b);
      const median = updates[updates.length / 2];
      console.log(`a keystroke's whole update on the ${tab} tab (render and redraw): median ${median.toFixed(2)} ms, max ${updates.at(-1).toFixed(2)} ms`);
      assert.ok(median < 5, `${tab}: median keystroke update ${median} ms`);
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('the page\'s whole transfer stays under 900 KB gzipped', () => {
    const www = new URL('bindings-wasm/www/', root);
    const files = ['pkg/zave_wasm_bg.wasm', 'dist/previewer.js', 'style.css', 'index.html'];
    const sizes = Object.fromEntries(files.map((file) =>
      [file, gzipSync(readFileSync(new URL(file, www)), { level: 9 }).length]));
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(`transfer, gzipped: ${JSON.stringify(sizes)}, total ${total} bytes`);
    assert.ok(total < 900 * 1024, `${total} bytes`);
  });

  test('the bundle is reproducible: a clean build gives the same bytes', () => {
    const built = readFileSync(new URL('bindings-wasm/www/dist/previewer.js', root));
    const folder = mkdtempSync(join(tmpdir(), 'zave-bundle-'));
    try {
      for (const run of ['first', 'second']) {
        execFileSync('scripts/bundle-previewer', [join(folder, run)], { cwd: fileURLToPath(root), stdio: 'pipe' });
        assert.ok(readFileSync(join(folder, run, 'previewer.js')).equals(built), `${run} clean bundle`);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

test('the previewer opens with the repository example', () => {
  assert.equal(EXAMPLE, text('examples/zave.yaml'));
});
