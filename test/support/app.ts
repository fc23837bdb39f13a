/** The app as the tests build it: the configuration read from env vars and context, and its templates. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../app/app';
import { readConfig } from '../../app/config';
import { type ContextLookup } from '../../app/settings';

/** Builds the app of `env` (and `context`) and returns its stacks and their templates. */
export function buildTemplates(env: NodeJS.ProcessEnv, context: ContextLookup = () => undefined) {
  const app = new App();
  const stacks = buildApp(app, readConfig(env, context));
  const template = (stack: Stack | undefined) => stack && Template.fromStack(stack);
  return {
    app,
    stacks,
    provider: template(stacks.provider),
    consumer: template(stacks.consumer),
    stackSet: template(stacks.stackSet),
  };
}
