import { type CfnElement, NestedStack, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

// The app's resources are spread over a stack and its nested stacks (infra/marketplace-stack.ts puts
// the API in one). The tests read them as one template, with every reference across a nested
// stack's boundary written as the reference it stands for.

type Json = Record<string, unknown>;
interface TemplateJson {
  Parameters?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Properties?: Json }>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface StackTemplates {
  /** Each stack's own template, the given stack first (for per-stack limits and outputs). */
  readonly templates: readonly { readonly stack: Stack; readonly template: Template }[];
  /**
   * The resources of all of them in one template. A nested stack's `Ref` to one of its parameters
   * is replaced by the value its parent passes, and a parent's `Fn::GetAtt` of a nested stack's
   * `Outputs.X` by that output's value: what remains refers to the resources themselves, as if
   * they were in one stack. The outputs are the given stack's.
   */
  readonly merged: Template;
}

/** The logical id of a construct's resource, in the template of the stack it belongs to. */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

export function stackTemplates(stack: Stack): StackTemplates {
  const stacks = [stack, ...stack.node.findAll().filter((c) => NestedStack.isNestedStack(c))] as Stack[];
  const templates = stacks.map((s) => ({ stack: s, template: Template.fromStack(s) }));
  const json = new Map(templates.map(({ stack: s, template }) => [s, template.toJSON() as TemplateJson]));
  const of = (s: Stack): TemplateJson => json.get(s)!;

  // The logical id of a nested stack's AWS::CloudFormation::Stack resource in its parent's template.
  const resourceIdOf = (nested: Stack): string =>
    nested.nestedStackParent!.getLogicalId(nested.nestedStackResource!);
  const children = new Map<Stack, Map<string, Stack>>(stacks.map((s) => [s, new Map()]));
  for (const s of stacks) if (s.nestedStackParent) children.get(s.nestedStackParent)!.set(resourceIdOf(s), s);

  const resolve = (s: Stack, value: unknown): unknown => {
    if (Array.isArray(value)) return value.map((v) => resolve(s, v));
    if (!value || typeof value !== 'object') return value;
    const o = value as Json;
    const parent = s.nestedStackParent;
    if (parent && typeof o.Ref === 'string' && o.Ref in (of(s).Parameters ?? {})) {
      const passed = of(parent).Resources[resourceIdOf(s)]!.Properties!.Parameters as Json;
      if (!(o.Ref in passed)) throw new Error(`${s.node.path}: no value for parameter ${o.Ref}`);
      return resolve(parent, passed[o.Ref]);
    }
    const getAtt = o['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[1] === 'string' && getAtt[1].startsWith('Outputs.')) {
      const nested = children.get(s)!.get(getAtt[0] as string);
      if (nested) return resolve(nested, of(nested).Outputs![getAtt[1].slice('Outputs.'.length)]!.Value);
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolve(s, v)]));
  };

  const resources: TemplateJson['Resources'] = {};
  for (const s of stacks) {
    for (const [id, resource] of Object.entries(of(s).Resources)) {
      if (id in resources) throw new Error(`logical id ${id} is in more than one template`);
      resources[id] = resolve(s, resource) as TemplateJson['Resources'][string];
    }
  }
  const merged = Template.fromJSON({
    Parameters: of(stack).Parameters ?? {},
    Resources: resources,
    Outputs: resolve(stack, of(stack).Outputs ?? {}),
  });
  return { templates, merged };
}
