// ASL definition (JSONPath) → Mermaid `stateDiagram-v2` text for docs/state-machines.md.
// Pure and deterministic — states in file order, edges in rule order — so a test can compare the
// docs with it textually. Only the control flow is drawn: Retry, timeouts and Parameters are not.

export interface AslChoiceRule {
  Next?: string;
  Variable?: string;
  And?: AslChoiceRule[];
  Or?: AslChoiceRule[];
  Not?: AslChoiceRule;
  [operator: string]: unknown;
}
export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: AslChoiceRule[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

const SYMBOLS: Record<string, string> = {
  Equals: '=',
  LessThan: '<',
  GreaterThan: '>',
  LessThanEquals: '<=',
  GreaterThanEquals: '>=',
  Matches: 'matches',
};
const COMPARISON = /^(?:String|Numeric|Boolean|Timestamp)(\w+?)(Path)?$/;
const TYPE_TEST = /^Is(Null|Present|Numeric|String|Boolean|Timestamp)$/;

/** `$.poll.done` → `poll.done`; context paths (`$$.…`) stay as they are. */
const shortPath = (path: unknown) => String(path).replace(/^\$\.(?!\$)/, '');

/** A Choice rule as a short edge label, e.g. `poll.done = true`. */
export function describeCondition(rule: AslChoiceRule): string {
  const nested = (r: AslChoiceRule) => (r.And || r.Or ? `(${describeCondition(r)})` : describeCondition(r));
  if (rule.And) return rule.And.map(nested).join(' and ');
  if (rule.Or) return rule.Or.map(nested).join(' or ');
  if (rule.Not) return `not ${nested(rule.Not)}`;
  const variable = shortPath(rule.Variable);
  for (const [key, value] of Object.entries(rule)) {
    const test = TYPE_TEST.exec(key);
    if (test) return `${variable} ${value ? 'is' : 'is not'} ${test[1]!.toLowerCase()}`;
    const comparison = COMPARISON.exec(key);
    const symbol = comparison && SYMBOLS[comparison[1]!];
    if (symbol) return `${variable} ${symbol} ${comparison[2] ? shortPath(value) : JSON.stringify(value)}`;
  }
  // Better no diagram than a wrong label.
  throw new Error(`unsupported Choice rule: ${JSON.stringify(rule)}`);
}

// Mermaid ends a label at `:` or `;` and treats `%%` as a comment; its entity codes are safe.
const ENTITIES: Record<string, string> = {
  ':': '#58;',
  ';': '#59;',
  '#': '#35;',
  '%': '#37;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
};
const escapeText = (text: string) => text.replace(/[:;#%"<>]/g, (c) => ENTITIES[c]!);

// Mermaid ids cannot hold spaces, `-`, `:` or `{`, and one starting with "default" lexes as a keyword.
const plainId = (name: string) => /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !/^default/i.test(name);

/** The Mermaid diagram of one state machine (no code fence). */
export function aslToMermaid(definition: AslDefinition): string {
  const names = Object.keys(definition.States);
  const ids = new Map(names.map((name, i) => [name, plainId(name) ? name : `s${i}`]));
  const id = (name: string) => {
    const found = ids.get(name);
    if (!found) throw new Error(`no state named ${JSON.stringify(name)}`);
    return found;
  };
  const lines = ['stateDiagram-v2'];
  for (const name of names) {
    if (id(name) !== name) lines.push(`  state "${escapeText(name)}" as ${id(name)}`);
  }
  const edge = (from: string, to: string, label?: string) =>
    lines.push(`  ${from} --> ${to}${label ? ` : ${escapeText(label)}` : ''}`);

  edge('[*]', id(definition.StartAt));
  for (const name of names) {
    const state = definition.States[name]!;
    for (const rule of state.Choices ?? []) edge(id(name), id(rule.Next!), describeCondition(rule));
    if (state.Default) edge(id(name), id(state.Default), 'Default');
    if (state.Next) edge(id(name), id(state.Next));
    for (const c of state.Catch ?? []) edge(id(name), id(c.Next), `catch ${c.ErrorEquals.join(', ')}`);
    // Parallel and Map are drawn as one state; their branches are not expanded.
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail') edge(id(name), '[*]');
  }
  return lines.join('\n');
}
