// The previewer: edit a contract, pick a profile, see the rendered tree, the diagnostics on
// their nodes, what the contract gets, and the diff between two profiles; the real zave core
// runs in WebAssembly.
import init, * as zave from './pkg/zave_wasm.js';
import { ContractEditor } from './editor.js';
import { EXAMPLE } from './example.js';
import * as state from './state.js';
import { showSummary } from './summary.js';
import { tar } from './tar.js';
import { FileViewer } from './viewer.js';

const $ = (id) => document.getElementById(id);
const CUSTOM = 'custom';

const view = {
  contract: EXAMPLE,
  profile: 'kind',
  customProfile: '',
  image: '',
  tab: 'files',
  file: '',
  diffTo: '',
};
let result = null; // the last render (ok or not)
let lastGood = null; // the last render that produced files, and its profile
let lastSummary = null; // the last summary of a contract that rendered
let editor;
let viewer;
let offers = []; // the core's fields and words under the selected profile

/** A path without the profile's prefix (`clusters/kind/`), so a selection survives a switch. */
const relative = (path) => path.replace(/^(.*?\/)?(?=(platform|tenants)\/)/, '');

function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

function renderOptions() {
  const options = view.profile === CUSTOM ? { profileYaml: view.customProfile } : { profile: view.profile };
  if (view.image.trim()) options.image = view.image.trim();
  return options;
}

/** Renders the contract and redraws everything that depends on it. */
function update() {
  const started = performance.now();
  let profileError = null;
  try {
    result = zave.render(view.contract, renderOptions());
  } catch (error) {
    if (error?.name !== 'ZaveError') throw error;
    profileError = error;
    result = null;
  }
  const elapsed = performance.now() - started;
  document.body.dataset.renderMs = elapsed.toFixed(3);
  const errors = (result?.diagnostics ?? []).filter((d) => d.severity === 'error').length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  $('status').textContent = result?.ok ? `rendered in ${elapsed.toFixed(1)} ms`
    : result ? `not rendered: ${plural(errors, 'error')}` : 'not rendered: the profile is invalid';
  if (result?.ok) lastGood = { result, profile: view.profile };
  $('download').disabled = !result?.ok;
  showProfileError(profileError);
  showDiagnostics(result?.diagnostics ?? [], result?.fixes ?? []);
  showStale(errors, profileError);
  showFiles();
  if (view.tab === 'diff') showDiff();
  if (view.tab === 'summary') showSummaryTab();
  saveSoon();
  // The whole re-render: the core's render and the page's redraw.
  document.body.dataset.updateMs = (performance.now() - started).toFixed(3);
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

/** With errors, the last good render stays, dimmed, under a banner saying why it is stale. */
function showStale(errors, profileError) {
  const stale = !result?.ok;
  const banner = $('stale');
  banner.hidden = !stale;
  $('right').classList.toggle('stale-view', stale && Boolean(lastGood));
  if (!stale) return;
  const why = profileError ? 'the custom profile is invalid'
    : `the contract has ${errors} error${errors === 1 ? '' : 's'}`;
  banner.textContent = lastGood
    ? `Stale: ${why}. Showing the last good render (profile ${lastGood.profile}) until it renders again.`
    : `Not rendered: ${why}, and nothing has rendered yet.`;
}

function showProfileError(error) {
  const list = $('profile-diagnostics');
  list.replaceChildren();
  if (!error) return;
  if (error.diagnostics.length === 0) {
    list.append(element('li', { textContent: error.message }));
  }
  for (const d of error.diagnostics) list.append(diagnosticItem(d, null));
}

function diagnosticItem(d, onClick) {
  const item = element('li', { className: d.severity },
    element('span', { className: 'code', textContent: d.code }),
    d.path ? element('span', { className: 'path', textContent: d.path }) : '',
    d.line !== null ? element('span', { className: 'where', textContent: `${d.line}:${d.column}` }) : '',
    element('span', { className: 'message', textContent: d.message }),
    d.help ? element('span', { className: 'help', textContent: `help: ${d.help}` }) : '');
  item.dataset.code = d.code;
  if (d.line !== null) item.dataset.line = d.line;
  if (onClick) item.addEventListener('click', onClick);
  return item;
}

function showDiagnostics(diagnostics, fixes) {
  editor.mark(diagnostics, fixes);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  $('counts').textContent = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  const list = $('diagnostics');
  list.replaceChildren(...diagnostics.map((d, index) => {
    const item = diagnosticItem(d, () => editor.reveal(d));
    for (const fix of fixes.filter((f) => f.diagnostic === index)) {
      const button = element('button', { type: 'button', className: 'fix', textContent: `Replace with "${fix.replacement}"` });
      button.addEventListener('click', (event) => {
        event.stopPropagation();
        editor.fix(d, fix.replacement);
      });
      item.append(button);
    }
    return item;
  }));
  if (diagnostics.length === 0 && result?.ok) {
    list.append(element('li', { className: 'none', textContent: 'valid: no findings' }));
  }
}

function showFiles() {
  const shown = result?.ok ? result : lastGood?.result;
  const files = shown?.files ?? [];
  let selected = files.find((f) => relative(f.path) === view.file);
  if (!selected) {
    selected = files.find((f) => f.path.endsWith(`/deployment-${shown?.name}.yaml`)) ?? files[0];
    view.file = selected ? relative(selected.path) : '';
  }
  // The list is rebuilt only when its paths or the selection change, not on every keystroke.
  const listed = `${selected?.path}\n${files.map((f) => f.path).join('\n')}`;
  if (listed !== shownList) {
    shownList = listed;
    showFileList(files, selected);
  }
  $('file-path').textContent = selected?.path ?? '';
  $('file-content').dataset.path = selected?.path ?? '';
  $('copy').disabled = !selected;
  viewer.show(selected?.content ?? '');
}

let shownList = null; // the paths and selection the file list shows

function showFileList(files, selected) {
  const list = $('files');
  list.replaceChildren();
  let folder = null;
  for (const file of files) {
    const cut = file.path.lastIndexOf('/');
    if (file.path.slice(0, cut) !== folder) {
      folder = file.path.slice(0, cut);
      list.append(element('li', { className: 'folder', textContent: `${folder}/` }));
    }
    const button = element('button', { type: 'button', textContent: file.path.slice(cut + 1), title: file.path });
    button.dataset.path = file.path;
    button.setAttribute('aria-current', String(file === selected));
    button.addEventListener('click', () => openFile(file.path));
    list.append(element('li', {}, button));
  }
}

/** Shows a file of the tree in the Files tab. */
function openFile(path) {
  view.file = relative(path);
  if (view.tab !== 'files') selectTab('files');
  showFiles();
  save();
}

function showSummaryTab() {
  let summary;
  try {
    summary = zave.summary(view.contract, renderOptions());
  } catch (error) {
    if (error?.name !== 'ZaveError') throw error;
    summary = { ok: false };
  }
  const profile = view.profile === CUSTOM ? 'the custom profile' : `profile ${view.profile}`;
  if (summary.ok) lastSummary = { summary, profile };
  // With errors the last good summary stays, dimmed with the rest under the stale banner.
  const shown = summary.ok ? { summary, profile } : lastSummary;
  $('summary-head').textContent = shown ? `What ${shown.summary.name} gets under ${shown.profile}` : '';
  showSummary($('summary'), shown?.summary ?? summary, openFile);
}

function showDiff() {
  const to = view.diffTo || (view.profile === 'kind' ? 'aws' : 'kind');
  $('diff-to').value = to;
  $('diff-from').textContent = view.profile === CUSTOM ? 'custom profile' : view.profile;
  const out = $('diff');
  let diff;
  try {
    diff = zave.diff(view.contract, renderOptions(), { profile: to });
  } catch (error) {
    if (error?.name !== 'ZaveError') throw error;
    out.replaceChildren(element('p', { className: 'empty', textContent: error.message }));
    return;
  }
  if (!diff.ok) {
    out.replaceChildren(element('p', { className: 'empty', textContent: 'the contract does not render under both profiles: see the diagnostics' }));
    return;
  }
  if (diff.files.length === 0) {
    out.replaceChildren(element('p', { className: 'empty', textContent: 'no differences' }));
    return;
  }
  const count = (change) => diff.files.filter((file) => file.change === change).length;
  const summary = element('p', {
    className: 'diff-summary',
    textContent: `${diff.files.length} files differ: ${count('added')} added, ${count('removed')} removed, ${count('modified')} modified`,
  });
  out.replaceChildren(summary, ...diff.files.map((file) => {
    const pre = element('pre');
    for (const line of file.unified.replace(/\n$/, '').split('\n').slice(2)) {
      const kind = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
      pre.append(kind ? element('span', { className: kind, textContent: line }) : `${line}\n`);
    }
    const section = element('section', { className: 'file-diff' },
      element('h3', {}, `${file.path} `, element('span', { className: 'change', textContent: file.change })), pre);
    section.dataset.path = file.path;
    section.dataset.change = file.change;
    return section;
  }));
}

const TABS = ['files', 'summary', 'diff'];

function selectTab(tab) {
  view.tab = tab;
  for (const name of TABS) {
    $(`tab-${name}`).setAttribute('aria-selected', String(tab === name));
    $(`${name}-view`).hidden = tab !== name;
  }
  if (tab === 'diff') showDiff();
  if (tab === 'summary') showSummaryTab();
  save();
}

/** Writes the state into the URL once typing pauses (a history update is slow next to a render). */
let saveTimer = null;
function saveSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(save, 250);
}

function save() {
  clearTimeout(saveTimer);
  const saved = { ...view, customProfile: view.profile === CUSTOM ? view.customProfile : '' };
  if (saved.tab === 'files') saved.tab = '';
  history.replaceState(null, '', state.write(saved));
}

/** Saves the tree `zave render --out` writes into an empty folder: the tenant's files (the
 * Files pane) and the index, sharded, that reaches them. */
function download() {
  if (!result?.ok) return;
  const blob = new Blob([tar(result.tree)], { type: 'application/x-tar' });
  const link = element('a', {
    href: URL.createObjectURL(blob),
    download: `${result.name}-${view.profile}.tar`,
  });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

/** Re-renders once per frame, however fast the typing. */
let pending = false;
function schedule() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    update();
  });
}

/** The core's offers for completion under the selected profile (a custom one once valid). */
function refreshOffers() {
  try {
    offers = zave.offers(view.profile === CUSTOM ? { profileYaml: view.customProfile } : { profile: view.profile });
  } catch (error) {
    if (error?.name !== 'ZaveError') throw error;
    offers = zave.offers({});
  }
}

async function main() {
  await init({ module_or_path: new URL('pkg/zave_wasm_bg.wasm', document.baseURI) });
  Object.assign(view, state.read(location.hash));
  const builtins = zave.profiles();
  if (view.profile !== CUSTOM && !builtins.some((p) => p.name === view.profile)) view.profile = 'kind';
  if (!TABS.includes(view.tab)) view.tab = 'files';
  for (const { name, classification } of builtins) {
    $('profile').append(element('option', { value: name, textContent: `${name} (${classification})` }));
    $('diff-to').append(element('option', { value: name, textContent: name }));
  }
  $('profile').append(element('option', { value: CUSTOM, textContent: 'custom…' }));
  $('profile').value = view.profile;
  $('custom').hidden = view.profile !== CUSTOM;
  $('custom-profile').value = view.customProfile || zave.profileSource('kind');
  view.customProfile = $('custom-profile').value;
  $('image').value = view.image;
  document.title = `zave ${zave.version()} previewer`;
  refreshOffers();

  editor = new ContractEditor($('editor'), view.contract, {
    onChange: (text) => {
      view.contract = text;
      schedule();
    },
    offers: () => offers,
  });
  // For the browser tests and the console: the editor's CodeMirror view.
  $('editor').editorView = editor.view;
  viewer = new FileViewer($('file-content'));
  $('copy').addEventListener('click', async () => {
    await navigator.clipboard.writeText(viewer.text);
    $('copy').textContent = 'Copied';
    setTimeout(() => { $('copy').textContent = 'Copy'; }, 1200);
  });
  $('profile').addEventListener('change', () => {
    view.profile = $('profile').value;
    $('custom').hidden = view.profile !== CUSTOM;
    refreshOffers();
    update();
  });
  $('custom-profile').addEventListener('input', () => {
    view.customProfile = $('custom-profile').value;
    refreshOffers();
    schedule();
  });
  $('image').addEventListener('input', () => {
    view.image = $('image').value;
    schedule();
  });
  $('diff-to').addEventListener('change', () => {
    view.diffTo = $('diff-to').value;
    showDiff();
    save();
  });
  for (const name of TABS) $(`tab-${name}`).addEventListener('click', () => selectTab(name));
  $('download').addEventListener('click', download);
  update();
  selectTab(view.tab);
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  $('status').textContent = `failed to start: ${error.message}`;
  throw error;
});
