#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { buildApp } from './app';
import { readConfig } from './config';
import { PrivateLinkConfigError } from '../src/errors';

const app = new App();
try {
  buildApp(app, readConfig(process.env, (key) => app.node.tryGetContext(key)));
} catch (err) {
  if (err instanceof PrivateLinkConfigError) {
    process.stderr.write(`\ncdk-privatelink: invalid configuration, nothing was synthesized.\n${err.message}\n\n`);
    process.exit(1);
  }
  throw err;
}
app.synth();
