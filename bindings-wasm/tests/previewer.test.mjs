// The previewer page end to end: served on loopback, driven in the system's headless Chromium
// through playwright-core. Screenshots go to target/previewer/.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
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

/** Selects `word` in the editor, as a person would with the mouse, and types `replacement`. */
async function replaceInEditor(page, word, replacement) {
  await page.locator('#editor').click();
  await page.evaluate((word) => {
    const editor = document.getElementById('editor');
    const start = editor.value.indexOf(word);
    editor.setSelectionRange(start, start + word.length);
  }, word);
  await page.keyboard.type(replacement);
}

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
    assert.equal(await page.inputValue('#editor'), EXAMPLE);
    assert.equal(await page.inputValue('#profile'), 'kind');
    const files = await page.locator('#files button').allTextContents();
    assert.ok(files.includes('deployment-payments-api.yaml'), files.join(' '));
    assert.equal(files.length, zave.render(EXAMPLE, { profile: 'kind' }).files.length);
    assert.match(await page.textContent('#file-content'), /^kind: Deployment$/m);
    assert.deepEqual(await page.locator('#diagnostics li').evaluateAll((items) =>
      items.map((item) => [item.dataset.code, item.className])), [['W004', 'warning']]);
    assert.match(await page.textContent('#status'), /^rendered in \d+\.\d ms$/);
    await page.screenshot({ path: join(artefacts, 'previewer.png') });
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test('typing an invalid value shows its diagnostic on its line; a click moves the cursor there', async () => {
    const page = await open();
    await replaceInEditor(page, 'public-http', 'public-htp');
    const line = lineOf(EXAMPLE, 'exposure: public-http');
    const item = page.locator('#diagnostics li.error');
    await item.waitFor();
    assert.equal(await item.count(), 1);
    assert.equal(await item.getAttribute('data-code'), 'Z113');
    assert.equal(await item.getAttribute('data-line'), String(line));
    assert.match(await item.textContent(), /spec\.exposure/);
    assert.match(await item.textContent(), /did you mean "public-http"\?/);
    assert.equal(await page.getAttribute(`#gutter div:nth-child(${line})`, 'class'), 'error');
    assert.equal(await page.locator('#marks .band.error').getAttribute('data-line'), String(line));
    assert.equal(await page.isVisible('#stale'), true, 'the last good tree stays, marked stale');
    assert.equal(await page.textContent('#counts'), '1 error, 0 warnings');
    await page.screenshot({ path: join(artefacts, 'previewer-diagnostic.png') });

    // Tab indents with spaces rather than leaving the editor.
    await page.keyboard.press('Tab');
    assert.match(await page.inputValue('#editor'), /exposure: public-htp {2}\n/);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');

    await page.evaluate(() => document.getElementById('editor').setSelectionRange(0, 0));
    await item.click();
    const cursor = await page.evaluate(() => {
      const editor = document.getElementById('editor');
      return {
        focused: document.activeElement === editor,
        line: editor.value.slice(0, editor.selectionStart).split('\n').length,
        selected: editor.value.slice(editor.selectionStart, editor.selectionEnd),
      };
    });
    assert.deepEqual(cursor, { focused: true, line, selected: 'public-htp' });
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
      contract: await p.inputValue('#editor'),
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
      const zave = await import('./pkg/zave_wasm.js');
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
    // For the record: a keystroke's whole update, the render and the page's redraw.
    const updates = [];
    await page.locator('#editor').click();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press(i % 2 ? 'Backspace' : 'End');
      await page.keyboard.type(i % 2 ? '' : ' ');
      updates.push(Number(await page.getAttribute('body', 'data-update-ms')));
    }
    updates.sort((a, b) => a - b);
    console.log(`a keystroke's whole update (render and redraw): median ${updates[10].toFixed(2)} ms`);
    await page.close();
  });
});

test('the previewer opens with the repository example', () => {
  assert.equal(EXAMPLE, text('examples/zave.yaml'));
});
