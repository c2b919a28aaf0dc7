// A small, dependency-free writer of POSIX ustar archives, for downloading the rendered tree.
// Entries get fixed metadata (mode 0644, owner 0, mtime 0), so the same tree gives the same
// bytes.

const BLOCK = 512;
const encoder = new TextEncoder();

/** `text` written into `header` at `offset`, at most `length` bytes. */
function put(header, offset, length, text) {
  header.set(encoder.encode(text).subarray(0, length), offset);
}

/** An octal number field: zero-padded digits and a NUL. */
function octal(header, offset, length, value) {
  put(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into ustar's prefix (155 bytes) and name (100 bytes). */
function split(path) {
  if (encoder.encode(path).length <= 100) return ['', path];
  for (let cut = path.indexOf('/'); cut !== -1; cut = path.indexOf('/', cut + 1)) {
    const [prefix, name] = [path.slice(0, cut), path.slice(cut + 1)];
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) {
      return [prefix, name];
    }
  }
  throw new Error(`path too long for a tar archive: ${path}`);
}

function header(path, size) {
  const block = new Uint8Array(BLOCK);
  const [prefix, name] = split(path);
  put(block, 0, 100, name);
  octal(block, 100, 8, 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0);
  put(block, 148, 8, '        ');
  put(block, 156, 1, '0');
  put(block, 257, 8, 'ustar\u000000');
  put(block, 345, 155, prefix);
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A tar archive of `files` (`{path, content}` with text content) as bytes. */
export function tar(files) {
  const parts = [];
  for (const file of files) {
    const data = encoder.encode(file.content);
    parts.push(header(file.path, data.length), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (padding) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(2 * BLOCK));
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
