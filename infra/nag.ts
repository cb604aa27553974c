import { Names, Reference, Stack, Tokenization } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// cdk-nag 3 reports some rules per finding (`AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]`)
// and each finding is acknowledged by that exact id. These helpers spell ids the way cdk-nag does.

export const findingId = (rule: string, finding: string): string => `AwsSolutions-${rule}[${finding}]`;

/** `Resource::...` finding of a policy resource value (a token or a plain string). */
export function resourceFinding(scope: IConstruct, resource: string): string {
  const stack = Stack.of(scope);
  let finding = flatten(stack.resolve(resource));
  for (const [reference, parameter] of parentReferences(stack, resource))
    finding = finding.replaceAll(reference, `<${parameter}>`);
  return `Resource::${finding}`;
}

/**
 * A nested stack sees its parent's resources through parameters, which cdk-nag reports. CDK adds
 * them at synthesis, after the acknowledgments are written, so their names are spelled here as
 * CDK's cross-stack references do (core/lib/private/refs.ts): `reference-to-<unique id of the
 * resource><attribute>` without the non-alphanumerics. The cdk-nag test fails should CDK rename them.
 */
function parentReferences(stack: Stack, resource: string): [string, string][] {
  const parents = new Set<Stack>();
  for (let parent = stack.nestedStackParent; parent; parent = parent.nestedStackParent) parents.add(parent);
  if (!parents.size) return [];
  return Tokenization.reverseString(resource)
    .tokens.filter((token): token is Reference => Reference.isReference(token))
    .filter((reference) => parents.has(Stack.of(reference.target)))
    .map((reference) => [
      flatten(stack.resolve(reference)),
      `referenceto${Names.nodeUniqueId(reference.target.node)}${reference.displayName}`.replace(
        /[^A-Za-z0-9]/g,
        '',
      ),
    ]);
}

// Mirrors cdk-nag's flattenCfnReference: intrinsics become <Logical.Attr> / <Ref>.
function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['Fn::Join']) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub']) return flatten(o['Fn::Sub']);
    if (o['Fn::GetAtt']) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue']) return flatten(o['Fn::ImportValue']);
    if (o.Ref) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}
