// The contract editor on CodeMirror 6: YAML highlighting, the core's diagnostics as marks
// with hover and quick fixes, completion from the core's offers, Tab indenting with spaces.
import { acceptCompletion, autocompletion, closeBrackets, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';

import { contractCompletion } from './completion.js';
import { rangeOf } from './positions.js';

/** Inserts two spaces at the cursor: YAML is indented with spaces, never tabs. */
function insertSpaces(view) {
  view.dispatch(view.state.replaceSelection('  '), { userEvent: 'input' });
  return true;
}

/** The CodeMirror form of the core's findings; `fixes` add their one-click action. */
function toLint(text, diagnostics, fixes) {
  const lint = [];
  diagnostics.forEach((d, index) => {
    const range = rangeOf(text, d);
    if (!range) return;
    const actions = fixes.filter((fix) => fix.diagnostic === index).map((fix) => ({
      name: `Replace with "${fix.replacement}"`,
      apply: (view, from, to) => view.dispatch({ changes: { from, to, insert: fix.replacement } }),
    }));
    lint.push({
      from: range.from,
      to: range.to,
      severity: d.severity,
      source: d.code,
      message: `${d.path ? `${d.path}: ` : ''}${d.message}${d.help ? `\nhelp: ${d.help}` : ''}`,
      actions,
    });
  });
  return lint;
}

/** A YAML viewer or editor's shared look. */
export const yamlLook = [yaml(), syntaxHighlighting(defaultHighlightStyle, { fallback: true }), lineNumbers()];

export class ContractEditor {
  /** An editor in `parent` holding `text`; `onChange(text)` after each edit; `offers()` the
   * current fields for completion. */
  constructor(parent, text, { onChange, offers }) {
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          yamlLook,
          history(),
          highlightActiveLine(),
          EditorView.lineWrapping,
          bracketMatching(),
          closeBrackets(),
          indentUnit.of('  '),
          EditorState.tabSize.of(2),
          autocompletion({ override: [contractCompletion(offers)], icons: false }),
          lintGutter(),
          keymap.of([
            { key: 'Tab', run: (view) => acceptCompletion(view) || insertSpaces(view) },
            ...completionKeymap,
            ...historyKeymap,
            ...defaultKeymap,
          ]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) onChange(update.state.doc.toString());
          }),
          EditorView.contentAttributes.of({ 'aria-label': 'The contract', spellcheck: 'false' }),
        ],
      }),
    });
  }

  get value() {
    return this.view.state.doc.toString();
  }

  /** Shows the core's findings on their nodes, with the fixes it knows. */
  mark(diagnostics, fixes = []) {
    const { state } = this.view;
    this.view.dispatch(setDiagnostics(state, toLint(state.doc.toString(), diagnostics, fixes)));
  }

  /** Writes `replacement` over the node diagnostic `d` marks. */
  fix(d, replacement) {
    const range = rangeOf(this.value, d);
    if (!range) return;
    this.view.dispatch({ changes: { ...range, insert: replacement }, selection: { anchor: range.from + replacement.length } });
    this.view.focus();
  }

  /** Selects a diagnostic's node, scrolls it into view and focuses the editor. */
  reveal(d) {
    const range = rangeOf(this.value, d);
    if (!range) return;
    this.view.dispatch({ selection: { anchor: range.from, head: range.to }, scrollIntoView: true });
    this.view.focus();
  }
}
