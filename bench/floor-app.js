// The floor of `npm run bench`: load aws-cdk-lib and synthesize one empty stack, nothing else.
const { App, Stack, CfnWaitConditionHandle } = require('aws-cdk-lib');

const app = new App();
const stack = new Stack(app, 'Floor');
new CfnWaitConditionHandle(stack, 'Nothing'); // a template needs one resource
app.synth();
