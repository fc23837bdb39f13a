/** What the template tests share: a fresh stack, and how a construct appears in its template. */
import { App, CfnElement, Stack, type StackProps } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** A stack `TestStack` (or `id`) in a new app, with the given props and app context. */
export function newStack(props?: StackProps, context?: Record<string, unknown>, id = 'TestStack'): Stack {
  return new Stack(new App({ context }), id, props);
}

/** The logical ID of a construct's CloudFormation resource (its default child, or itself). */
export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
}

/** `Fn::GetAtt <security group>.GroupId`, as the template references a security group of the app. */
export function groupId(construct: IConstruct): unknown {
  return { 'Fn::GetAtt': [logicalId(construct), 'GroupId'] };
}
