// Completion of contract keys and values: where the cursor is in the YAML (its field path),
// and what the core's offers say that field takes under the selected profile.

const LINE = /^(\s*)(-\s+)?([A-Za-z][\w-]*)?(\s*:\s*)?(.*)$/;

/** A YAML line split into its indentation, list dash, key and the text after `key:`. */
function parse(line) {
  const [, indent, dash = '', key = '', colon = '', rest] = LINE.exec(line);
  return { dashColumn: dash ? indent.length : -1, keyColumn: indent.length + dash.length, key, hasColon: colon !== '', rest };
}

/** The path of the mapping a key written at `column` of line `index` belongs to, such as
 * `spec.capabilities[]`; `inList` says the key's own line starts a list entry. */
export function parentPath(lines, index, column, inList) {
  const keys = [];
  for (let i = index - 1; i >= 0 && column > 0; i--) {
    if (/^\s*(#.*)?$/.test(lines[i])) continue;
    const line = parse(lines[i]);
    if (line.key && line.hasColon && line.keyColumn < column) {
      keys.unshift(`${line.key}${inList ? '[]' : ''}`);
      inList = line.dashColumn >= 0;
      column = inList ? line.dashColumn : line.keyColumn;
    } else if (line.dashColumn >= 0 && line.dashColumn < column) {
      inList = true;
      column = line.dashColumn;
    }
  }
  return keys.join('.');
}

/** What the cursor completes: a key of a mapping, or the value of a field. */
export function contextAt(text, offset) {
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  const index = lines.length - 1;
  const line = parse(lines[index]);
  const inList = line.dashColumn >= 0;
  const column = inList ? line.dashColumn : line.keyColumn;
  const parent = parentPath(lines, index, column, inList);
  const join = (key) => (parent ? `${parent}.${key}` : key);
  if (line.hasColon) {
    if (line.rest.includes('#') || /^["'{[]/.test(line.rest)) return null;
    return { kind: 'value', path: join(line.key), from: offset - line.rest.length };
  }
  if (line.rest) return null;
  return { kind: 'key', parent, from: offset - line.key.length, indent: line.keyColumn };
}

const STANDING = {
  allowed: (offer) => (offer.code === 'W003' ? 'injected by the profile anyway (W003)' : ''),
  reserved: (offer) => `reserved (${offer.code})`,
  refused: (offer) => `refused by the profile (${offer.code})`,
};

/** A completion source over the core's offers; `offers()` gives the current ones. */
export function contractCompletion(offers) {
  return (context) => {
    const at = contextAt(context.state.doc.toString(), context.pos);
    if (!at) return null;
    const fields = offers();
    if (at.kind === 'value') {
      const field = fields.find((f) => f.path === at.path);
      if (!field || field.values.length === 0) return null;
      return {
        from: at.from,
        validFor: /^[\w./-]*$/,
        options: field.values.map((offer) => ({
          label: offer.value,
          detail: STANDING[offer.standing](offer),
          info: offer.description,
          type: offer.standing === 'allowed' ? 'enum' : `enum ${offer.standing}`,
          boost: offer.standing === 'allowed' ? 1 : -1,
        })),
      };
    }
    const children = fields.filter((f) => f.parent === at.parent);
    if (children.length === 0) return null;
    const inner = ' '.repeat(at.indent + 2);
    return {
      from: at.from,
      validFor: /^[\w-]*$/,
      options: children.map((field) => ({
        label: field.key,
        apply: field.shape === 'scalar' ? `${field.key}: `
          : field.shape === 'list' ? `${field.key}:\n${inner}- ` : `${field.key}:\n${inner}`,
        detail: field.required ? 'required' : field.shape,
        info: field.description,
        type: 'property',
        boost: field.required ? 1 : 0,
      })),
    };
  };
}
