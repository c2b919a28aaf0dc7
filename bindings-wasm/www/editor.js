// The contract editor: a plain textarea with a line-number gutter and marks on the lines that
// diagnostics point at, and a way to move the cursor to a diagnostic's node.

/** The UTF-16 offset in `text` of a 1-based line and column (columns count code points). */
export function offsetOf(text, line, column) {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const end = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
  for (let step = 1; step < column && offset < end; step++) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return offset;
}

export class Editor {
  /** Wraps `textarea`, drawing line numbers into `gutter` and marks into `marks`. */
  constructor(textarea, gutter, marks) {
    this.textarea = textarea;
    this.gutter = gutter;
    this.marks = marks;
    this.severities = new Map();
    this.lineCount = 0;
    textarea.addEventListener('scroll', () => this.sync());
    textarea.addEventListener('input', () => this.draw());
    // Tab indents (YAML wants spaces); after Escape it moves the focus on, as usual.
    let escaped = false;
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') escaped = true;
      else if (event.key === 'Tab' && !event.shiftKey && !event.ctrlKey && !event.altKey && !escaped) {
        event.preventDefault();
        document.execCommand('insertText', false, '  ');
      } else escaped = false;
    });
    new ResizeObserver(() => this.sync()).observe(textarea);
  }

  get value() {
    return this.textarea.value;
  }

  set value(text) {
    this.textarea.value = text;
    this.draw();
  }

  /** The pixel height of one line, as the stylesheet sets it. */
  get lineHeight() {
    return parseFloat(getComputedStyle(this.textarea).lineHeight);
  }

  /** Marks the lines `diagnostics` point at (errors win over warnings on a shared line). */
  mark(diagnostics) {
    this.severities = new Map();
    for (const d of diagnostics) {
      if (d.line === null) continue;
      if (this.severities.get(d.line) !== 'error') this.severities.set(d.line, d.severity);
    }
    this.draw();
  }

  draw() {
    const lines = this.textarea.value.split('\n').length;
    if (lines !== this.lineCount || this.gutter.dataset.marked !== this.markKey()) {
      this.lineCount = lines;
      this.gutter.dataset.marked = this.markKey();
      const numbers = document.createDocumentFragment();
      for (let line = 1; line <= lines; line++) {
        const number = document.createElement('div');
        number.textContent = line;
        const severity = this.severities.get(line);
        if (severity) number.className = severity;
        numbers.append(number);
      }
      this.gutter.replaceChildren(numbers);
      const bands = document.createDocumentFragment();
      for (const [line, severity] of this.severities) {
        if (line > lines) continue;
        const band = document.createElement('div');
        band.className = `band ${severity}`;
        band.dataset.line = line;
        band.style.top = `${(line - 1) * this.lineHeight}px`;
        bands.append(band);
      }
      this.marks.replaceChildren(bands);
    }
    this.sync();
  }

  markKey() {
    return [...this.severities].map(([line, severity]) => `${line}${severity[0]}`).join(',');
  }

  sync() {
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.marks.style.transform = `translate(${-this.textarea.scrollLeft}px, ${-this.textarea.scrollTop}px)`;
  }

  /** Selects a diagnostic's node, scrolls it into view and focuses the editor. */
  reveal(diagnostic) {
    if (diagnostic.line === null) return;
    const text = this.textarea.value;
    const start = offsetOf(text, diagnostic.line, diagnostic.column ?? 1);
    let end = start;
    if (diagnostic.end_line !== null && diagnostic.end_column !== null) {
      end = Math.max(start, offsetOf(text, diagnostic.end_line, diagnostic.end_column));
    }
    this.textarea.focus();
    this.textarea.setSelectionRange(start, end);
    const top = (diagnostic.line - 1) * this.lineHeight;
    const { scrollTop, clientHeight } = this.textarea;
    if (top < scrollTop || top > scrollTop + clientHeight - 2 * this.lineHeight) {
      this.textarea.scrollTop = Math.max(0, top - clientHeight / 3);
    }
    this.sync();
  }
}
