import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DOC_FILE, renderDoc } from './state-machine-docs.js';

// `npm run docs`: regenerates the state machine diagrams in docs/state-machines.md from the ASL files.

const doc = readFileSync(DOC_FILE, 'utf8');
const updated = renderDoc(doc);
const name = relative(process.cwd(), DOC_FILE);
if (updated === doc) {
  console.log(`${name}: diagrams are current`);
} else {
  writeFileSync(DOC_FILE, updated);
  console.log(`${name}: diagrams regenerated`);
}
