// The Summary tab: what the contract gets under the profile, as the core's summary says it,
// each line linking to the file and object that carries it.

const ORIGIN = { contract: 'contract', profile: 'profile', mutation: 'zave', input: 'CI', convention: 'platform' };

function element(tag, properties = {}, ...children) {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

const shown = new WeakMap(); // what each container shows, as the JSON of its lines

/** The summary's lines in `out`; `open(path)` shows a file of the Files tab. */
export function showSummary(out, summary, open) {
  // Most keystrokes change nothing the summary says: redraw only when it does.
  const key = JSON.stringify(summary.ok ? summary.lines : null);
  if (shown.get(out) === key) return;
  shown.set(out, key);
  if (!summary.ok) {
    out.replaceChildren(element('p', { className: 'empty', textContent: 'the contract does not render: see the diagnostics' }));
    return;
  }
  const rows = summary.lines.map((line) => {
    const link = element('button', { type: 'button', className: 'carrier', textContent: line.object, title: line.path });
    link.addEventListener('click', () => open(line.path));
    const origins = element('ul', { className: 'origins' }, ...line.origins.map((origin) =>
      element('li', { className: origin.kind },
        element('span', { className: 'origin-kind', textContent: ORIGIN[origin.kind] }), ` ${origin.detail}`)));
    const row = element('li', { className: 'summary-line' },
      element('span', { className: 'topic', textContent: line.topic }),
      element('span', { className: 'text', textContent: line.text }),
      link, origins);
    row.dataset.topic = line.topic;
    row.dataset.path = line.path;
    return row;
  });
  out.replaceChildren(element('ul', { className: 'summary' }, ...rows));
}
