// Diagnostic positions (1-based lines, columns in code points) as offsets into the text.

/** The UTF-16 offset in `text` of a 1-based line and column (columns count code points). */
export function offsetOf(text, line, column) {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  for (let step = 1; step < column && offset < end; step++) {
    offset += text.codePointAt(offset) > 0xffff ? 2 : 1;
  }
  return offset;
}

/** The range a diagnostic marks, as offsets; null when it has no position. */
export function rangeOf(text, d) {
  if (d.line === null) return null;
  const from = offsetOf(text, d.line, d.column ?? 1);
  let to = from;
  if (d.end_line !== null && d.end_column !== null) {
    to = Math.max(from, offsetOf(text, d.end_line, d.end_column));
  }
  return { from, to };
}
