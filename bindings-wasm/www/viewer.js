// The Files pane's file view: a read-only CodeMirror with YAML highlighting.
import { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';

import { yamlLook } from './editor.js';

export class FileViewer {
  /** A read-only view in `parent`. */
  constructor(parent) {
    this.text = '';
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        extensions: [yamlLook, EditorState.readOnly.of(true), EditorView.editable.of(false),
          EditorView.contentAttributes.of({ 'aria-label': 'The file' })],
      }),
    });
  }

  /** Shows `text`, replacing the document only when it changed. */
  show(text) {
    if (text === this.text) return;
    this.text = text;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }
}
