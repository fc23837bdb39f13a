/**
 * The external judges over every configuration of the matrix: cfn-lint must report no error and no
 * warning (only the checks in .cfnlintrc are silenced, each with its reason), and cdk-nag's AwsSolutions
 * pack must report no finding that is not acknowledged in the constructs with a reason.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SCENARIO_CONTEXT, SCENARIOS } from './matrix';

const ROOT = path.join(__dirname, '..', '..');
const outRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'privatelink-judges-'));

interface Built {
  readonly name: string;
  readonly app: App;
  readonly templates: string[];
}

const built: Built[] = SCENARIOS.map((scenario) => {
  const outdir = path.join(outRoot, scenario.name);
  const app = new App({ outdir, context: SCENARIO_CONTEXT });
  scenario.build(app);
  const assembly = app.synth();
  // Stacks of nested stages too (a ConsumerRollout's member template is one).
  const stacks = [...assembly.stacks, ...assembly.nestedAssemblies.flatMap((n) => n.nestedAssembly.stacks)];
  return { name: scenario.name, app, templates: stacks.map((s) => s.templateFullPath) };
});

afterAll(() => fs.rmSync(outRoot, { recursive: true, force: true }));

test('every scenario synthesizes at least one template', () => {
  for (const b of built) expect(b.templates.length).toBeGreaterThan(0);
});

describe('cfn-lint', () => {
  test('is installed (the judge is never skipped)', () => {
    expect(() => execFileSync('cfn-lint', ['--version'], { stdio: 'pipe' })).not.toThrow();
  });

  test('reports no error and no warning on any template', () => {
    const templates = built.flatMap((b) => b.templates);
    let output = '';
    try {
      execFileSync('cfn-lint', ['--format', 'parseable', '--', ...templates], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    } catch (err) {
      const e = err as { status?: number; stdout?: string; stderr?: string };
      output = `exit ${e.status}\n${e.stdout ?? ''}${e.stderr ?? ''}`;
    }
    expect(output).toBe('');
  }, 120_000);
});

describe('cdk-nag AwsSolutions', () => {
  test.each(SCENARIOS.map((s) => s.name))('%s has no unacknowledged finding', (name) => {
    const { app } = built.find((b) => b.name === name)!;
    const report = new AwsSolutionsChecks(app).validateScope(app);
    const findings = report.violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}: ${v.description}`),
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('the judge itself reports a finding that nobody acknowledged', () => {
    // Guards against a judge that can never fail: a VPC without flow logs and a world-open security group.
    const app = new App();
    const stack = new Stack(app, 'Bare');
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0 });
    new ec2.SecurityGroup(stack, 'Open', { vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-EC23', 'AwsSolutions-VPC7']),
    );
  });
});
