// A tiny static server for the previewer (bindings-wasm/www/), on loopback only:
//
//   node bindings-wasm/serve.mjs [PORT]     (default 8000; 0 picks a free port)
//
// Prints `serving http://127.0.0.1:PORT/` once listening. Any static server will do; this one
// needs nothing but Node and sends `.wasm` with the type streaming compilation wants.
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('./www/', import.meta.url));
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The file a request path names inside www/, or null when it leaves the folder. */
function resolve(url) {
  const path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
  return file.startsWith(root) || `${file}${sep}` === root ? file : null;
}

export function serve(port = 8000) {
  const server = createServer((request, response) => {
    const file = request.method === 'GET' || request.method === 'HEAD' ? resolve(request.url) : null;
    let size = -1;
    try {
      size = file && statSync(file).isFile() ? statSync(file).size : -1;
    } catch {
      size = -1;
    }
    if (size < 0) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const server = await serve(Number(process.argv[2] ?? 8000));
  console.log(`serving http://127.0.0.1:${server.address().port}/`);
}
