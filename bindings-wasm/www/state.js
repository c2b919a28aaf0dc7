// The page's state in its URL fragment, so a link reproduces the view: the contract and a
// custom profile as base64url of their UTF-8 text, the other settings as they are.

const FIELDS = ['profile', 'image', 'tab', 'file', 'diffTo'];
const TEXTS = { contract: 'c', customProfile: 'cp' };

/** base64url (no padding) of a string's UTF-8 bytes. */
export function encode(text) {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/** The string whose UTF-8 bytes `encoded` (base64url) holds; null when it is not that. */
export function decode(encoded) {
  try {
    const binary = atob(encoded.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The state a fragment (`#c=…&profile=aws…`) holds; missing fields are absent. */
export function read(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const state = {};
  for (const [field, key] of Object.entries(TEXTS)) {
    const value = params.has(key) ? decode(params.get(key)) : null;
    if (value !== null) state[field] = value;
  }
  for (const field of FIELDS) {
    if (params.has(field)) state[field] = params.get(field);
  }
  return state;
}

/** The fragment for `state`; empty fields are left out. */
export function write(state) {
  const params = new URLSearchParams();
  for (const [field, key] of Object.entries(TEXTS)) {
    if (state[field]) params.set(key, encode(state[field]));
  }
  for (const field of FIELDS) {
    if (state[field]) params.set(field, state[field]);
  }
  return `#${params}`;
}
