// npm run bench, section "principals": synth time of a provider stack with 1, 10, 100 and 1,000 allowed
// principals, in-process (same process, interleaved rounds, medians), and the template size. Principals
// are data (one permissions resource), so 1,000 should cost about what 1 does.
import { App, Stack } from 'aws-cdk-lib';
import { performance } from 'node:perf_hooks';
import { PrivateLinkProvider } from '../src/provider/private-link-provider';

export const PRINCIPAL_COUNTS = [1, 10, 100, 1000];
export const PRINCIPAL_TARGET_RATIO = 1.2;

/** Account IDs 100000000000, 100000000001, ... */
export function accounts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(100_000_000_000 + i));
}

/** Synthesizes one provider stack with `n` principals; returns the time taken and the template file size. */
export function synthProvider(n: number, env?: { account: string; region: string }): { ms: number; bytes: number } {
  const start = performance.now();
  const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
  const stack = new Stack(app, 'Provider', { env });
  const provider = new PrivateLinkProvider(stack, 'Provider');
  for (const account of accounts(n)) provider.allowPrincipal(account);
  const template = app.synth().getStackByName('Provider').template;
  const ms = performance.now() - start;
  // Sized as cdk writes the template file (one-space indentation): what CloudFormation receives.
  return { ms, bytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs the section and prints it. */
export function benchPrincipals(runs: number): void {
  const times = new Map<number, number[]>(PRINCIPAL_COUNTS.map((n) => [n, []]));
  const sizes = new Map<number, number>();
  for (const n of PRINCIPAL_COUNTS) synthProvider(n); // warm-up: module loading and JIT
  for (let i = 0; i < runs; i++) {
    for (const n of PRINCIPAL_COUNTS) {
      const r = synthProvider(n);
      times.get(n)!.push(r.ms);
      sizes.set(n, r.bytes);
    }
  }
  const one = median(times.get(1)!);
  console.log(`principals (in-process synth of the provider stack, env-agnostic; ${runs} interleaved rounds, medians)`);
  for (const n of PRINCIPAL_COUNTS) {
    const m = median(times.get(n)!);
    console.log(
      `  ${String(n).padStart(5)} principals  ${m.toFixed(0).padStart(5)} ms  ${(m / one).toFixed(2)}×  template ${sizes.get(n)} bytes`,
    );
  }
  const ratio = median(times.get(1000)!) / one;
  console.log(`  1,000 vs 1: ${ratio.toFixed(2)}× (target ≤ ${PRINCIPAL_TARGET_RATIO}×: ${ratio <= PRINCIPAL_TARGET_RATIO ? 'met' : 'NOT met'})`);
  const literal = synthProvider(1000, { account: '111111111111', region: 'us-east-1' }).bytes;
  console.log(`  template with 1,000 principals in a stack with a known region (literal partition): ${literal} bytes`);
  console.log('  (CloudFormation: 51,200 bytes uploaded directly, 1 MB from S3)');
}

if (require.main === module) benchPrincipals(Number(process.env.BENCH_RUNS ?? 7));
