import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { NotFoundError } from '../errors.js';
import { RawResponse } from './raw-response.js';

// The interactive API reference at GET /v1/docs: Swagger UI (the swagger-ui-dist package, not
// hand-written) rendering /v1/openapi.json. Its two files are served by the API itself, so the
// page works without a CDN (and in tests without a network). On AWS they are copied next to the
// function's bundle (infra/function-needs.ts `bundledFiles`); locally and in tests they resolve
// from node_modules.

/** The files of swagger-ui-dist the page loads, by the name it asks for them. */
export const DOCS_ASSETS = {
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
} as const;
export type DocsAsset = keyof typeof DOCS_ASSETS;

export function docsPage(openApiUrl: string, assetBase: string): RawResponse {
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>VRS Marketplace API</title>
<link rel="stylesheet" href="${assetBase}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetBase}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: ${JSON.stringify(openApiUrl)}, dom_id: '#swagger-ui', deepLinking: true });
</script>
</body>
</html>
`;
  return new RawResponse(html, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'public, max-age=300',
    // Only our own files; the inline call above is the page's one script of its own.
    'content-security-policy':
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  });
}

const cache = new Map<DocsAsset, { raw: Buffer; gzip: Buffer }>();

/** One of the page's files, gzipped when the client takes it (the script is 1.7 MB, 0.5 MB gzipped). */
export function docsAsset(name: string, acceptEncoding: string | undefined): RawResponse {
  if (!Object.hasOwn(DOCS_ASSETS, name)) throw new NotFoundError(`No such file: ${name}.`);
  const asset = name as DocsAsset;
  let files = cache.get(asset);
  if (!files) {
    const raw = readFileSync(assetPath(asset));
    files = { raw, gzip: gzipSync(raw) };
    cache.set(asset, files);
  }
  const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
  return new RawResponse(
    (gzip ? files.gzip : files.raw).toString('base64'),
    {
      'content-type': DOCS_ASSETS[asset],
      'cache-control': 'public, max-age=86400',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    true,
  );
}

function assetPath(asset: DocsAsset): string {
  const beside = path.join(path.dirname(fileURLToPath(import.meta.url)), asset);
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(`swagger-ui-dist/${asset}`);
}
