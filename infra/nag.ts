import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

// cdk-nag 3 reports some rules per finding (`AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]`)
// and each finding is acknowledged by that exact id. These helpers spell ids the way cdk-nag does.

export const findingId = (rule: string, finding: string): string => `AwsSolutions-${rule}[${finding}]`;

/** `Resource::...` finding of a policy resource value (a token or a plain string). */
export function resourceFinding(scope: IConstruct, resource: string): string {
  return `Resource::${flatten(Stack.of(scope).resolve(resource))}`;
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
