import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stateMachines } from '../../functions/tasks.js';
import { type AslDefinition, aslToMermaid } from './state-machine-diagrams.js';

// docs/state-machines.md holds one generated diagram per flow of `stateMachines`, between
// `<!-- diagram:<flow>:start -->` and `<!-- diagram:<flow>:end -->`; the prose around them is
// hand-written. `npm run docs` rewrites the blocks, tests/infra/state-machine-docs.test.ts checks them.

export type Flow = keyof typeof stateMachines;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DOC_FILE = join(ROOT, 'docs', 'state-machines.md');
export const flows = Object.keys(stateMachines) as Flow[];

export const markers = (flow: string) => ({
  start: `<!-- diagram:${flow}:start -->`,
  end: `<!-- diagram:${flow}:end -->`,
});

/** What belongs between a flow's markers: its diagram, fenced, each on its own lines. */
export function expectedBlock(flow: Flow): string {
  const asl = readFileSync(join(ROOT, 'state-machines', stateMachines[flow]), 'utf8');
  return `\n\`\`\`mermaid\n${aslToMermaid(JSON.parse(asl) as AslDefinition)}\n\`\`\`\n`;
}

/** Where a flow's block lies, or why it cannot be found (markers missing, repeated or reversed). */
function locate(doc: string, flow: string): { from: number; to: number } | string {
  const { start, end } = markers(flow);
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < 0) return `no ${start} … ${end} markers`;
  if (doc.indexOf(start, from + 1) >= 0 || doc.indexOf(end, to + 1) >= 0)
    return `repeated markers of ${flow}`;
  if (to < from) return `${end} comes before ${start}`;
  return { from: from + start.length, to };
}

/** The text between a flow's markers, or undefined when they are not there once, in order. */
export function currentBlock(doc: string, flow: string): string | undefined {
  const at = locate(doc, flow);
  return typeof at === 'string' ? undefined : doc.slice(at.from, at.to);
}

/** Flows named by diagram markers in the doc, in order of appearance, once each. */
export const markedFlows = (doc: string) => [
  ...new Set([...doc.matchAll(/<!-- diagram:([^:\s]+):(?:start|end) -->/g)].map((m) => m[1]!)),
];

/** The doc with every flow's block regenerated; throws on missing markers or markers of no flow. */
export function renderDoc(doc: string, blockOf: (flow: Flow) => string = expectedBlock): string {
  const unknown = markedFlows(doc).filter((f) => !(flows as string[]).includes(f));
  if (unknown.length) throw new Error(`diagram markers of unknown flows: ${unknown.join(', ')}`);
  let out = doc;
  for (const flow of flows) {
    const at = locate(out, flow);
    // Where a new flow's diagram goes is a writing decision, so the markers are placed by hand.
    if (typeof at === 'string') throw new Error(`${flow}: ${at}; add them in the flow's section`);
    out = out.slice(0, at.from) + blockOf(flow) + out.slice(at.to);
  }
  return out;
}
