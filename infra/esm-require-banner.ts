// ESM bundles have no `require`; CommonJS dependencies bundled into them (xmlrpc, ...) still call
// it for Node built-ins, so define one. Used by the Lambda bundles (CDK) and the local ones alike.
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __vrsCreateRequire } from 'node:module'; const require = __vrsCreateRequire(import.meta.url);";
