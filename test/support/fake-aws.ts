/**
 * A loopback AWS endpoint for CLI tests: it answers what moto lacks — EC2
 * Describe/Accept/RejectVpcEndpointConnections (query protocol, XML), ELB DescribeTargetHealth, Lambda
 * Invoke, and the resources and template of stacks as CDK deploys them (moto would try to create every
 * resource of a real template) — from state the test controls; patches the few fields of moto's answers
 * that moto does not model (an endpoint's state, an NLB's PrivateLink inbound-rules setting, a service
 * this account may not see); refuses or "does not implement" the actions a test names; and forwards every
 * other request to moto_server. Point a process at it with AWS_ENDPOINT_URL (`fake.env`). 127.0.0.1 only.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Moto } from './moto';

export interface FakeConnection {
  serviceId: string;
  endpointId: string;
  owner: string;
  state: string;
  createdAt?: string;
}

export interface FakeTargetHealth {
  id: string;
  port?: number;
  state: string;
  reason?: string;
  description?: string;
}

/** A deployed stack as CloudFormation describes it: its resources and its template. */
export interface FakeStack {
  readonly resources: { logicalId: string; physicalId: string; type: string }[];
  readonly template: object;
}

export interface LambdaReply {
  readonly payload: string;
  readonly functionError?: string;
}

export interface FakeAws {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** moto's env with AWS_ENDPOINT_URL pointing here. */
  readonly env: Record<string, string>;
  /** The connections (mutable: tests set them up; accept/reject change their state). */
  connections: FakeConnection[];
  /** The most connections per page, whatever MaxResults says (forces pagination). */
  pageSize: number;
  /** Accept/Reject of these endpoints reports an Unsuccessful item with this error. */
  failures: Map<string, { code: string; message: string }>;
  /** Reject of these endpoints "succeeds" but their state does not change (a wait that times out). */
  sticky: Set<string>;
  /** The next N connection calls answer HTTP 503 RequestLimitExceeded. */
  throttleNext: number;
  /** DescribeTargetHealth answers, by target group ARN (others go to moto, which reports every registered non-instance target healthy). */
  targetHealth: Map<string, FakeTargetHealth[]>;
  /** The state DescribeVpcEndpoints reports for these endpoints (moto's are always available). */
  endpointStates: Map<string, string>;
  /** EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic of these load balancers (moto has no such field). */
  privateLinkInbound: Map<string, 'on' | 'off'>;
  /** Service names that DescribeVpcEndpointServices refuses (InvalidServiceName): not visible to this account. */
  invisibleServices: Set<string>;
  /** Actions refused with UnauthorizedOperation (EC2) or AccessDenied (ELB). */
  denied: Set<string>;
  /** Actions answered with InvalidAction, as by an endpoint that does not implement them. */
  notImplemented: Set<string>;
  /** Stacks answered by ListStackResources and GetTemplate (other stack names go to moto). */
  stacks: Map<string, FakeStack>;
  /** Answers a Lambda Invoke by function name. */
  lambda: (functionName: string, payload: string) => LambdaReply;
  /** Every request seen: the EC2/CloudFormation Action, or `Lambda:Invoke`. */
  readonly calls: string[];
  reset(): void;
  stop(): Promise<void>;
}

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const ELB_XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `VpcEndpointId.1`, `VpcEndpointId.2`, ... of a query-protocol request. */
function listParam(params: URLSearchParams, prefix: string): string[] {
  return [...params.entries()]
    .filter(([k]) => k.startsWith(`${prefix}.`))
    .sort(([a], [b]) => Number(a.split('.').pop()) - Number(b.split('.').pop()))
    .map(([, v]) => v);
}

function filterValues(params: URLSearchParams, name: string): string[] | undefined {
  for (const [k, v] of params.entries()) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (m && v === name) return listParam(params, `Filter.${m[1]}.Value`);
  }
  return undefined;
}

export async function startFakeAws(moto: Moto): Promise<FakeAws> {
  const fake: FakeAws = {
    endpoint: '',
    env: {},
    connections: [],
    pageSize: 1000,
    failures: new Map(),
    sticky: new Set(),
    throttleNext: 0,
    lambda: () => ({ payload: JSON.stringify({ errorMessage: 'no lambda reply configured' }), functionError: 'Unhandled' }),
    calls: [],
    targetHealth: new Map(),
    endpointStates: new Map(),
    privateLinkInbound: new Map(),
    invisibleServices: new Set(),
    denied: new Set(),
    notImplemented: new Set(),
    stacks: new Map(),
    reset() {
      this.connections = [];
      this.targetHealth.clear();
      this.endpointStates.clear();
      this.privateLinkInbound.clear();
      this.invisibleServices.clear();
      this.denied.clear();
      this.notImplemented.clear();
      this.pageSize = 1000;
      this.failures.clear();
      this.sticky.clear();
      this.throttleNext = 0;
      this.calls.length = 0;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const xml = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  };

  const connectionAction = (action: string, params: URLSearchParams, res: ServerResponse) => {
    if (fake.throttleNext > 0) {
      fake.throttleNext--;
      return xml(res, 503, '<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors><RequestID>fake</RequestID></Response>');
    }
    if (action === 'DescribeVpcEndpointConnections') {
      const services = filterValues(params, 'service-id');
      const matching = fake.connections.filter((c) => !services || services.includes(c.serviceId));
      const start = Number(params.get('NextToken') ?? '0');
      const size = Math.min(fake.pageSize, Number(params.get('MaxResults') ?? '1000'));
      const page = matching.slice(start, start + size);
      const next = start + size < matching.length ? `<nextToken>${start + size}</nextToken>` : '';
      const items = page
        .map(
          (c) =>
            `<item><serviceId>${c.serviceId}</serviceId><vpcEndpointId>${c.endpointId}</vpcEndpointId>` +
            `<vpcEndpointOwner>${c.owner}</vpcEndpointOwner><vpcEndpointState>${c.state}</vpcEndpointState>` +
            `<creationTimestamp>${c.createdAt ?? '2026-01-01T00:00:00.000Z'}</creationTimestamp></item>`,
        )
        .join('');
      return xml(
        res,
        200,
        `<DescribeVpcEndpointConnectionsResponse xmlns="${XMLNS}"><requestId>fake</requestId><vpcEndpointConnectionSet>${items}</vpcEndpointConnectionSet>${next}</DescribeVpcEndpointConnectionsResponse>`,
      );
    }
    const accept = action === 'AcceptVpcEndpointConnections';
    const serviceId = params.get('ServiceId') ?? '';
    const unsuccessful: string[] = [];
    for (const id of listParam(params, 'VpcEndpointId')) {
      const failure = fake.failures.get(id);
      const conn = fake.connections.find((c) => c.endpointId === id && c.serviceId === serviceId);
      const error = failure ?? (conn ? undefined : { code: 'InvalidVpcEndpointId.NotFound', message: `The Vpc Endpoint Id '${id}' does not exist` });
      if (error) {
        unsuccessful.push(`<item><error><code>${escape(error.code)}</code><message>${escape(error.message)}</message></error><resourceId>${id}</resourceId></item>`);
      } else if (conn && !(!accept && fake.sticky.has(id))) {
        conn.state = accept ? 'available' : 'rejected';
      }
    }
    return xml(res, 200, `<${action}Response xmlns="${XMLNS}"><requestId>fake</requestId><unsuccessful>${unsuccessful.join('')}</unsuccessful></${action}Response>`);
  };

  /** An error answer in the XML of the action's service (EC2's or ELB's query protocol). */
  const error = (res: ServerResponse, params: URLSearchParams, status: number, code: string, message: string) =>
    params.get('Version') === '2015-12-01'
      ? xml(res, status, `<ErrorResponse xmlns="${ELB_XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`)
      : xml(res, status, `<Response><Errors><Error><Code>${code}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`);

  const targetHealth = (arn: string, res: ServerResponse) => {
    const members = (fake.targetHealth.get(arn) ?? [])
      .map(
        (t) =>
          `<member><Target><Id>${escape(t.id)}</Id>${t.port ? `<Port>${t.port}</Port>` : ''}</Target><TargetHealth><State>${t.state}</State>` +
          `${t.reason ? `<Reason>${t.reason}</Reason>` : ''}${t.description ? `<Description>${escape(t.description)}</Description>` : ''}</TargetHealth></member>`,
      )
      .join('');
    xml(res, 200, `<DescribeTargetHealthResponse xmlns="${ELB_XMLNS}"><DescribeTargetHealthResult><TargetHealthDescriptions>${members}</TargetHealthDescriptions></DescribeTargetHealthResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></DescribeTargetHealthResponse>`);
  };

  /** The fields of moto's answers that moto does not model. */
  const patch = (action: string | null, body: string): string => {
    if (action === 'DescribeVpcEndpoints') {
      for (const [id, state] of fake.endpointStates) {
        const at = body.indexOf(`<vpcEndpointId>${id}</vpcEndpointId>`);
        if (at >= 0) body = body.slice(0, at) + body.slice(at).replace(/<state>[^<]*<\/state>/, `<state>${state}</state>`);
      }
    }
    if (action === 'DescribeLoadBalancers') {
      for (const [arn, value] of fake.privateLinkInbound) {
        const tag = `<LoadBalancerArn>${arn}</LoadBalancerArn>`;
        body = body.split(tag).join(`${tag}<EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>${value}</EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic>`);
      }
    }
    return body;
  };

  const CFN = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
  const stackAction = (action: string, stack: FakeStack, res: ServerResponse) => {
    if (action === 'GetTemplate') {
      return xml(res, 200, `<GetTemplateResponse xmlns="${CFN}"><GetTemplateResult><TemplateBody>${escape(JSON.stringify(stack.template))}</TemplateBody></GetTemplateResult></GetTemplateResponse>`);
    }
    const members = stack.resources
      .map(
        (r) =>
          `<member><LogicalResourceId>${r.logicalId}</LogicalResourceId><PhysicalResourceId>${escape(r.physicalId)}</PhysicalResourceId>` +
          `<ResourceType>${r.type}</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><LastUpdatedTimestamp>2026-01-01T00:00:00.000Z</LastUpdatedTimestamp></member>`,
      )
      .join('');
    return xml(res, 200, `<ListStackResourcesResponse xmlns="${CFN}"><ListStackResourcesResult><StackResourceSummaries>${members}</StackResourceSummaries></ListStackResourcesResult></ListStackResourcesResponse>`);
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, action: string | null = null) => {
    const target = new URL(moto.endpoint);
    const proxied = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (upstream) => {
        void readBody(upstream).then((answer) => {
          const patched = Buffer.from(patch(action, answer.toString('utf8')), 'utf8');
          res.writeHead(upstream.statusCode ?? 502, { ...upstream.headers, 'content-length': String(patched.length) });
          res.end(patched);
        });
      },
    );
    proxied.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    proxied.end(body);
  };

  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      if (invoke) {
        fake.calls.push('Lambda:Invoke');
        const reply = fake.lambda(decodeURIComponent(invoke[1]), body.toString('utf8'));
        const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' };
        if (reply.functionError) headers['x-amz-function-error'] = reply.functionError;
        res.writeHead(200, headers);
        return res.end(reply.payload);
      }
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action');
      if (action) fake.calls.push(action);
      if (action && fake.denied.has(action)) {
        const elb = params.get('Version') === '2015-12-01';
        return error(res, params, 403, elb ? 'AccessDenied' : 'UnauthorizedOperation', `You are not authorized to perform: ${elb ? 'elasticloadbalancing' : 'ec2'}:${action}`);
      }
      if (action && fake.notImplemented.has(action)) return error(res, params, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
      if (action === 'DescribeVpcEndpointConnections' || action === 'AcceptVpcEndpointConnections' || action === 'RejectVpcEndpointConnections') {
        return connectionAction(action, params, res);
      }
      if (action === 'DescribeTargetHealth' && fake.targetHealth.has(params.get('TargetGroupArn') ?? '')) {
        return targetHealth(params.get('TargetGroupArn')!, res);
      }
      if (action === 'DescribeVpcEndpointServices') {
        const hidden = listParam(params, 'ServiceName').find((n) => fake.invisibleServices.has(n));
        if (hidden) return error(res, params, 400, 'InvalidServiceName', `The Vpc Endpoint Service '${hidden}' does not exist`);
      }
      const stack = fake.stacks.get(params.get('StackName') ?? '');
      if (stack && (action === 'ListStackResources' || action === 'GetTemplate')) return stackAction(action, stack, res);
      return forward(req, body, res, action);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(fake, { endpoint, env: { ...moto.env, AWS_ENDPOINT_URL: endpoint } });
  return fake;
}
