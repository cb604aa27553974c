import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type AslDefinition,
  aslToMermaid,
  describeCondition,
} from '../../infra/docs/state-machine-diagrams.js';
import {
  currentBlock,
  DOC_FILE,
  expectedBlock,
  flows,
  markedFlows,
  markers,
  renderDoc,
} from '../../infra/docs/state-machine-docs.js';

const RUN = 'docs/state-machines.md is not current: run `npm run docs`';
const doc = readFileSync(DOC_FILE, 'utf8');

describe('docs/state-machines.md', () => {
  it.each(flows)('has the generated diagram of %s between its markers', (flow) => {
    const { start, end } = markers(flow);
    const block = currentBlock(doc, flow);
    expect(
      block,
      `add ${start} and ${end} once each to the ${flow} section, then run \`npm run docs\``,
    ).toBeDefined();
    expect(block, `${RUN} (the ${flow} diagram differs from its ASL file)`).toBe(expectedBlock(flow));
  });

  it('has diagram markers only for flows of functions/tasks.ts', () => {
    expect(markedFlows(doc).filter((f) => !(flows as string[]).includes(f))).toEqual([]);
  });

  it('is what `npm run docs` writes', () => {
    expect(doc, RUN).toBe(renderDoc(doc));
  });
});

describe('renderDoc (`npm run docs`)', () => {
  it('rewrites a stale diagram and leaves the prose', () => {
    const stale = doc.replace(/(<!-- diagram:[^:]+:start -->\n```mermaid\n)[^`]*/, '$1stale\n');
    expect(stale).not.toBe(doc);
    expect(renderDoc(stale)).toBe(renderDoc(doc));
  });

  it("refuses a doc missing a flow's markers, or with markers of no flow", () => {
    const { start, end } = markers(flows[0]!);
    expect(() => renderDoc(doc.replace(start, ''))).toThrow(`${flows[0]}: no ${start} … ${end} markers`);
    expect(() => renderDoc(`${doc}\n<!-- diagram:gone:start -->\n`)).toThrow(/unknown flows: gone/);
  });
});

describe('aslToMermaid', () => {
  // Task → Choice → Wait loop → End, the shape of the polling flows.
  const poll: AslDefinition = {
    StartAt: 'Check',
    States: {
      Check: { Type: 'Task', Next: 'IsDone' },
      IsDone: {
        Type: 'Choice',
        Choices: [{ Variable: '$.poll.done', BooleanEquals: true, Next: 'Finish' }],
        Default: 'Wait',
      },
      Wait: { Type: 'Wait', Next: 'Check' },
      Finish: { Type: 'Task', End: true },
    },
  };

  it('draws StartAt from [*], Next and Choice edges with their conditions, End to [*]', () => {
    expect(aslToMermaid(poll).split('\n')).toEqual([
      'stateDiagram-v2',
      '  [*] --> Check',
      '  Check --> IsDone',
      '  IsDone --> Finish : poll.done = true',
      '  IsDone --> Wait : Default',
      '  Wait --> Check',
      '  Finish --> [*]',
    ]);
  });

  it('aliases state names Mermaid cannot take as ids, and escapes what ends a label', () => {
    const odd: AslDefinition = {
      StartAt: 'Reserve a server',
      States: {
        'Reserve a server': { Type: 'Task', Next: 'Default-ish' },
        'Default-ish': {
          Type: 'Choice',
          Choices: [{ Variable: '$.at', StringEquals: 'a:b;c', Next: 'Done' }],
          Default: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    expect(aslToMermaid(odd).split('\n')).toEqual([
      'stateDiagram-v2',
      '  state "Reserve a server" as s0',
      '  state "Default-ish" as s1',
      '  [*] --> s0',
      '  s0 --> s1',
      '  s1 --> Done : at = #quot;a#58;b#59;c#quot;',
      '  s1 --> Done : Default',
      '  Done --> [*]',
    ]);
  });

  it('describes compound, path and type-test conditions, and refuses what it does not know', () => {
    expect(
      describeCondition({
        And: [
          { Variable: '$.n', NumericLessThanEqualsPath: '$.max' },
          { Not: { Variable: '$.error', IsPresent: true } },
          {
            Or: [
              { Variable: '$.s', StringEquals: 'x' },
              { Variable: '$$.Execution.RedriveCount', NumericGreaterThan: 0 },
            ],
          },
        ],
        Next: 'X',
      }),
    ).toBe('n <= max and not error is present and (s = "x" or $$.Execution.RedriveCount > 0)');
    expect(() => describeCondition({ Variable: '$.x', Unheard: 1, Next: 'X' })).toThrow(/unsupported/);
  });

  it('fails on a transition to a missing state', () => {
    expect(() => aslToMermaid({ StartAt: 'A', States: { A: { Type: 'Task', Next: 'B' } } })).toThrow(/B/);
  });
});
