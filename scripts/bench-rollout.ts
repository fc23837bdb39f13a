// npm run bench, section "rollout": the size of a ConsumerRollout's member template (it is the StackSet's
// TemplateBody, at most 51,200 bytes) for each VPC kind with and without the check, and the synth time
// of the management stack that carries it (in-process, interleaved rounds, medians).
import { App, Stack } from 'aws-cdk-lib';
import { performance } from 'node:perf_hooks';
import { ConsumerRollout } from '../src/rollout/consumer-rollout';
import { TEMPLATE_BODY_MAX_BYTES } from '../src/rollout/member-template';
import { RolloutVpc } from '../src/rollout/rollout-vpc';
import { PrivateLinkService } from '../src/service/private-link-service';

const SHAPES: Array<{ name: string; vpc: () => RolloutVpc; check: boolean }> = [
  { name: 'SSM-found VPC, with check', vpc: () => RolloutVpc.fromSsmParameters(), check: true },
  { name: 'SSM-found VPC, no check', vpc: () => RolloutVpc.fromSsmParameters(), check: false },
  { name: 'isolated VPC, with check', vpc: () => RolloutVpc.isolated(), check: true },
  { name: 'isolated VPC, no check', vpc: () => RolloutVpc.isolated(), check: false },
];

function synthRollout(shape: (typeof SHAPES)[number]): { ms: number; bytes: number } {
  const start = performance.now();
  const app = new App();
  const rollout = new ConsumerRollout(new Stack(app, 'Management'), 'Rollout', {
    service: PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0'),
    organizationalUnits: ['ou-ab12-cdefgh34'],
    regions: ['us-east-1', 'eu-west-1'],
    vpc: shape.vpc(),
    check: shape.check,
  });
  app.synth();
  return { ms: performance.now() - start, bytes: rollout.memberTemplateBytes };
}

export function benchRollout(runs: number): void {
  const times = SHAPES.map(() => [] as number[]);
  const bytes: number[] = [];
  SHAPES.forEach((s) => synthRollout(s)); // warm-up
  for (let r = 0; r < runs; r++) {
    SHAPES.forEach((s, i) => {
      const out = synthRollout(s);
      times[i].push(out.ms);
      bytes[i] = out.bytes;
    });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`rollout (member template of a ConsumerRollout, in-process synth of its management stack; ${runs} interleaved rounds, medians)`);
  SHAPES.forEach((s, i) => {
    const share = ((bytes[i] / TEMPLATE_BODY_MAX_BYTES) * 100).toFixed(0);
    console.log(`  ${s.name.padEnd(26)} member template ${String(bytes[i]).padStart(6)} bytes (${share}% of TemplateBody)   synth ${Math.round(median(times[i]))} ms`);
  });
}
