/**
 * The publishable package, as a user gets it: `npm pack` of the compiled library, installed OFFLINE into
 * a scratch project. There, one tsc run typechecks a small app and every ```ts block of README.md, all
 * importing `cdk-privatelink` by name from the installed tarball, and the app synthesizes both sides.
 *
 * The scratch project lives under scratch/ in the repo (gitignored): the package's peers (aws-cdk-lib,
 * constructs) and tsx are found by Node walking up to the repo's node_modules, as an app's own installs
 * would be. `--legacy-peer-deps` keeps npm from fetching the peers, which needs the network.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXPECTED_CDK_VERSION, requireCompiledLibrary, ROOT, scratchDir } from './built';
import { Block, tsBlocks } from './readme-blocks';

const NPM_ENV = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

interface PackResult {
  readonly filename: string;
  readonly files: { path: string }[];
}

let scratch: string;
let packed: PackResult;
let project: string;

beforeAll(() => {
  requireCompiledLibrary();
  if (!fs.existsSync(path.join(ROOT, 'lib', 'cli', 'main.mjs'))) {
    throw new Error('lib/cli/main.mjs is missing. Run `npm run bundle:cli` first; `npm test` does.');
  }
  scratch = scratchDir('pack-');
  // --ignore-scripts: pack what the build produced (prepublishOnly would build it again).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
    cwd: ROOT,
    env: NPM_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  packed = (JSON.parse(out) as PackResult[])[0];

  project = path.join(scratch, 'app');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'pack-scratch', version: '0.0.0', private: true }));
  execFileSync(
    'npm',
    ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', path.join(scratch, packed.filename)],
    { cwd: project, env: NPM_ENV, stdio: 'pipe' },
  );
}, 120_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the tarball', () => {
  const paths = () => packed.files.map((f) => f.path).sort();

  test('holds the compiled library, its types, the jsii assembly, the check bundle and the docs', () => {
    expect(paths()).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'API.md',
        '.jsii',
        'lib/index.js',
        'lib/index.d.ts',
        'lib/provider/private-link-provider.js',
        'lib/consumer/private-link-consumer.js',
        'lib/check/connectivity-check.js',
        'assets/check/index.js',
        'lib/resource/private-link-resource.js',
        'lib/resource/private-link-resource-endpoint.js',
        'assets/resource-endpoint/index.js',
        'assets/principal-sync/index.js',
        'assets/default-sg/index.js',
        'lib/lifecycle/principal-sync.js',
        'lib/rollout/consumer-rollout.js',
        'lib/rollout/rollout-vpc.js',
        'bin/privatelink.js',
        'lib/cli/main.mjs',
      ]),
    );
  });

  test('holds no sources, tests, integ snapshots, app or build config', () => {
    const unwanted = paths().filter(
      (p) =>
        /^(src|test|integ|app|scripts|bench|scratch|cdk\.out|node_modules)\//.test(p) ||
        /\.snapshot\//.test(p) ||
        /\.test\.|(^|\/)tsconfig[^/]*\.json$|\.tsbuildinfo$|^cdk\.json$|^\.ci\//.test(p) ||
        (p.endsWith('.ts') && !p.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
  });

  test('declares main, types and exports that exist in it, and no runtime dependency', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'cdk-privatelink', 'package.json'), 'utf8'));
    const inTarball = new Set(paths());
    const declared: string[] = [pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default, pkg.exports['./.jsii']];
    expect(declared.map((p) => p.replace(/^\.\//, '')).filter((p) => !inTarball.has(p))).toEqual([]);
    // jsii accepts only jsii modules (or bundled ones) as dependencies; the peers come from the user's app.
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
  });

  test('has no install script: installing it runs nothing (and npm has nothing to warn about)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'cdk-privatelink', 'package.json'), 'utf8'));
    const lifecycle = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
    expect(Object.keys(pkg.scripts ?? {}).filter((name) => lifecycle.includes(name))).toEqual([]);
  });
});

describe('the privatelink CLI of the installed package', () => {
  const run = (...args: string[]) =>
    spawnSync(path.join(project, 'node_modules', '.bin', 'privatelink'), args, { cwd: project, encoding: 'utf8', env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });

  test('runs from node_modules/.bin: --help lists the commands', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}teardown +reject every connection/m);
  });

  test('refuses a bad argument with exit 2 before any AWS call', () => {
    const r = run('accept', 'vpce-123');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^privatelink accept: "vpce-123" is not a VPC endpoint ID/);
  });
});

describe('installed into a scratch project', () => {
  const APP = `import { App, Stack } from 'aws-cdk-lib';
import { ConnectivityCheck, PrivateLinkConfigError, PrivateLinkConsumer, PrivateLinkProvider } from 'cdk-privatelink';

const app = new App({ outdir: 'cdk.out' });
const provider = new PrivateLinkProvider(new Stack(app, 'Provider'), 'Service', { allowedPrincipals: ['222222222222'] });
const consumerStack = new Stack(app, 'Consumer');
const consumer = new PrivateLinkConsumer(consumerStack, 'Endpoint', { service: provider });
new ConnectivityCheck(consumerStack, 'Check', { endpoint: consumer, expectedBody: 'Hello from ALB!' });

let caught = '';
try {
  new PrivateLinkProvider(new Stack(app, 'Invalid'), 'Service', { allowedPrincipals: ['12345'] });
} catch (err) {
  if (err instanceof PrivateLinkConfigError) caught = err.problems.join(' ');
}
app.node.tryRemoveChild('Invalid');
app.synth();
console.log(JSON.stringify({ resolved: require.resolve('cdk-privatelink'), caught, cdk: require('aws-cdk-lib/package.json').version }));
`;
  // The compositions users build, with the public API only: a provider object used by a consumer in
  // another region, an imported endpoint watched by a check, several endpoints in one VPC. Each refusal
  // is caught and printed with its message; the templates are read back by the test.
  const COMPOSITIONS = `import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  CheckProtocol, ConnectivityCheck, PrivateLinkConfigError, PrivateLinkConsumer, PrivateLinkProvider, PrivateLinkService, ServiceProtocol,
} from 'cdk-privatelink';

const refused: Record<string, string> = {};
function attempt(name: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    refused[name] = err instanceof PrivateLinkConfigError ? err.message : \`not a PrivateLinkConfigError: \${String(err)}\`;
  }
}
const env = (region: string) => ({ account: '111111111111', region });
const app = new App({ outdir: 'cdk.compositions' });

// Cross-region: the provider object in us-east-1, its consumer in eu-west-1.
const provider = new PrivateLinkProvider(new Stack(app, 'Provider', { env: env('us-east-1'), crossRegionReferences: true }), 'Service', {
  allowedPrincipals: ['111111111111'],
  allowedRegions: ['eu-west-1'],
});
const remote = new Stack(app, 'Remote', { env: env('eu-west-1'), crossRegionReferences: true });
new PrivateLinkConsumer(remote, 'Endpoint', { service: provider, serviceRegion: 'us-east-1' });
attempt('withoutServiceRegion', () => new PrivateLinkConsumer(remote, 'NoRegion', { service: provider }));
const notAllowed = new Stack(app, 'NotAllowed', { env: env('ap-northeast-1'), crossRegionReferences: true });
attempt('regionNotAllowed', () => new PrivateLinkConsumer(notAllowed, 'Endpoint', { service: provider, serviceRegion: 'us-east-1' }));

// Several endpoints in one VPC: two services, private DNS once per service; a second one with private DNS is refused.
const shared = new Stack(app, 'Shared', { env: env('us-east-1') });
const vpc = new ec2.Vpc(shared, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const api = PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', { tls: true, privateDnsName: 'api.example.com' });
const db = PrivateLinkService.fromServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba9876543210', { protocol: ServiceProtocol.TCP, port: 5432 });
const apiEndpoint = new PrivateLinkConsumer(shared, 'Api', { vpc, service: api, privateDnsEnabled: true });
const dbEndpoint = new PrivateLinkConsumer(shared, 'Db', { vpc, service: db });
new PrivateLinkConsumer(shared, 'ApiAgain', { vpc, service: api });
attempt('secondPrivateDns', () => new PrivateLinkConsumer(shared, 'ApiTwice', { vpc, service: api, privateDnsEnabled: true }));
new ConnectivityCheck(shared, 'ApiCheck', { endpoint: apiEndpoint });
new ConnectivityCheck(shared, 'DbCheck', { endpoint: dbEndpoint });

// An endpoint made elsewhere, watched by a check.
const imported = PrivateLinkConsumer.fromEndpointAttributes(shared, 'Imported', {
  vpc,
  endpointId: 'vpce-0123456789abcdef0',
  dnsName: 'vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com',
  port: 8443,
  securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(shared, 'ImportedSg', 'sg-0123456789abcdef0', { mutable: true })],
});
new ConnectivityCheck(shared, 'ImportedCheck', { endpoint: imported, protocol: CheckProtocol.TLS });

app.synth();
console.log(JSON.stringify({ refused }));
`;
  // Must NOT compile (a misspelt prop): proves the files really are typechecked against the package's
  // types (an unresolved import or an \`any\` would let it through).
  const CANARY = `import { App, Stack } from 'aws-cdk-lib';
import { PrivateLinkProvider } from 'cdk-privatelink';
new PrivateLinkProvider(new Stack(new App(), 'S'), 'P', { allowedPrincipal: ['222222222222'] });
export {};
`;
  const blocks = tsBlocks(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  const fileOf = (b: Block) => `readme-line-${b.line}.ts`;
  let diagnostics: string[] = [];
  const errorsIn = (file: string) => diagnostics.filter((d) => d.startsWith(`${file}(`));

  beforeAll(() => {
    const files: Record<string, string> = { 'app.ts': APP, 'compositions.ts': COMPOSITIONS, 'canary.ts': CANARY };
    // `export {}` makes each README block its own module, so blocks may reuse names.
    for (const b of blocks.filter((x) => !x.nocompile)) files[fileOf(b)] = `${b.code}\nexport {};\n`;
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(project, name), text);
    fs.writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'node16', moduleResolution: 'node16', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        files: Object.keys(files),
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--pretty', 'false'], {
      cwd: project,
      encoding: 'utf8',
    });
    diagnostics = `${tsc.stdout}${tsc.stderr}`.split('\n').filter((l) => l.trim() !== '');
  }, 120_000);

  test('the canary (a misspelt prop) fails to compile, so the files below really are checked', () => {
    expect(errorsIn('canary.ts').join('\n')).toMatch(/allowedPrincipal/);
  });

  test('tsc reports nothing outside the checked files (no config or global error)', () => {
    expect(diagnostics.filter((d) => !/^(canary|app|compositions|readme-line-\d+)\.ts\(/.test(d))).toEqual([]);
  });

  test('an app importing cdk-privatelink by name typechecks against the packed types', () => {
    expect(errorsIn('app.ts')).toEqual([]);
    expect(errorsIn('compositions.ts')).toEqual([]);
  });

  test('README.md has TypeScript examples', () => {
    expect(blocks.filter((b) => !b.nocompile).length).toBeGreaterThan(0);
  });

  for (const b of blocks) {
    const name = `README.md example at line ${b.line} compiles against the packed package`;
    if (b.nocompile) {
      test.skip(`${name} (fenced "ts nocompile": left out on purpose)`, () => undefined);
    } else {
      test(name, () => {
        expect(errorsIn(fileOf(b))).toEqual([]);
      });
    }
  }

  test('the app synthesizes both sides with the packed library and its bundled check handler', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'app.ts'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const output = JSON.parse(stdout.trim().split('\n').pop()!) as { resolved: string; caught: string; cdk: string };
    // The peers are those of the run: the floor (npm test) or the newest release (npm run test:newest).
    expect(output.cdk).toBe(EXPECTED_CDK_VERSION);

    // The library came from the installed tarball, not from the repo's sources.
    expect(path.relative(project, output.resolved)).toBe(path.join('node_modules', 'cdk-privatelink', 'lib', 'index.js'));
    // The error class works from the package (TypeScript/JavaScript only: see src/errors.ts).
    expect(output.caught).toMatch(/allowedPrincipals\[0\]: "12345" is not an AWS account ID/);

    const outdir = path.join(project, 'cdk.out');
    const template = (stack: string) => JSON.parse(fs.readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8'));
    const types = (t: { Resources: Record<string, { Type: string }> }) => Object.values(t.Resources).map((r) => r.Type);
    expect(types(template('Provider'))).toEqual(expect.arrayContaining(['AWS::EC2::VPCEndpointService', 'AWS::ElasticLoadBalancingV2::LoadBalancer']));
    expect(types(template('Consumer'))).toEqual(expect.arrayContaining(['AWS::EC2::VPCEndpoint', 'AWS::Lambda::Function']));

    // The check function's asset is the handler bundle shipped in the package.
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'Consumer.assets.json'), 'utf8')) as {
      files: Record<string, { displayName?: string; source: { path: string } }>;
    };
    const check = Object.values(assets.files).find((a) => a.displayName === 'Check/Function/Code');
    expect(check).toBeDefined();
    const shipped = fs.readFileSync(path.join(project, 'node_modules', 'cdk-privatelink', 'assets', 'check', 'index.js'));
    expect(fs.readFileSync(path.join(outdir, check!.source.path, 'index.js')).equals(shipped)).toBe(true);
  }, 60_000);

  describe('the compositions, synthesized with the packed library', () => {
    let refused: Record<string, string>;
    const template = (stack: string) =>
      JSON.parse(fs.readFileSync(path.join(project, 'cdk.compositions', `${stack}.template.json`), 'utf8')) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
    const resources = (stack: string, type: string) => Object.values(template(stack).Resources).filter((r) => r.Type === type);

    beforeAll(() => {
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'compositions.ts'], { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      refused = (JSON.parse(stdout.trim().split('\n').pop()!) as { refused: Record<string, string> }).refused;
    }, 60_000);

    test('a provider object used in another region: the endpoint names the provider\'s region; the wrong shapes are refused with the fix', () => {
      const [endpoint] = resources('Remote', 'AWS::EC2::VPCEndpoint');
      expect(JSON.stringify(endpoint.Properties.ServiceName)).toContain('com.amazonaws.vpce.us-east-1');
      expect(JSON.stringify(endpoint.Properties.ServiceName)).not.toContain('AWS::Region');
      expect(endpoint.Properties.ServiceRegion).toBe('us-east-1');
      expect(refused.withoutServiceRegion).toMatch(/^Remote\/NoRegion: service: the service is in us-east-1 and this stack deploys to eu-west-1\. .*serviceRegion: "us-east-1"/);
      expect(refused.regionNotAllowed).toMatch(/^NotAllowed\/Endpoint: service: the provider in us-east-1 does not accept endpoints from ap-northeast-1 .*allowedRegions/);
    });

    test('several endpoints in one VPC: one with private DNS per service, a second one refused by name', () => {
      const endpoints = resources('Shared', 'AWS::EC2::VPCEndpoint');
      expect(endpoints.map((e) => e.Properties.PrivateDnsEnabled)).toEqual([true, false, false]);
      expect(refused.secondPrivateDns).toMatch(/^Shared\/ApiTwice: privateDnsEnabled: Shared\/Api already enables private DNS for this service in this VPC/);
    });

    test('the checks speak what each service does: HTTPS to the private DNS name, TCP to the database, TLS to the imported endpoint', () => {
      const urls = resources('Shared', 'AWS::Lambda::Function')
        .map((f) => (f.Properties.Environment as { Variables?: { CHECK_URL?: unknown } } | undefined)?.Variables?.CHECK_URL)
        .filter((u) => u !== undefined)
        .map((u) => JSON.stringify(u));
      expect(urls).toHaveLength(3);
      expect(urls).toEqual(
        expect.arrayContaining([
          JSON.stringify('https://api.example.com:443/'),
          expect.stringMatching(/^\{"Fn::Join":\["",\["tcp:\/\/",.*":5432"\]\]\}$/),
          JSON.stringify('tls://vpce-0123456789abcdef0-abcdefgh.vpce-svc-0123456789abcdef0.us-east-1.vpce.amazonaws.com:8443'),
        ]),
      );
      // The imported endpoint's security group admits the check on its port.
      expect(resources('Shared', 'AWS::EC2::SecurityGroupIngress').map((r) => [r.Properties.GroupId, r.Properties.FromPort])).toEqual(
        expect.arrayContaining([['sg-0123456789abcdef0', 8443]]),
      );
    });
  });
});
