import {
  checkIpAddress,
  checkPortRanges,
  checkResourceArn,
  checkResourceConfigurationArn,
  checkResourceDnsName,
  parseSharePrincipal,
  partsOfResourceConfigurationArn,
  portRangeText,
} from '../src/resource/validate';

describe('checkIpAddress', () => {
  test.each(['10.0.1.20', '192.168.0.1', 'fd00::20', '2001:db8::1', '::ffff:10.0.0.1'])('GIVEN %s THEN accepted', (ip) => {
    expect(checkIpAddress('target', ip)).toBeUndefined();
  });
  test.each(['10.0.1.300', '10.0.1', '10.0.01.2', 'db.example.com', '', 'fd00:::1'])('GIVEN %j THEN a problem naming input and value', (ip) => {
    expect(checkIpAddress('RESOURCE_TARGET', ip)).toBe(
      `RESOURCE_TARGET: ${JSON.stringify(ip)} is not an IP address. Use the IPv4 or IPv6 address of the resource in the resource gateway's VPC, e.g. "10.0.1.20".`,
    );
  });
});

describe('checkResourceDnsName', () => {
  test.each(['db.internal.example.com', 'internal-my-alb-1234567890.us-east-1.elb.amazonaws.com', 'a.b'])('GIVEN %s THEN accepted', (name) => {
    expect(checkResourceDnsName('target', name)).toBeUndefined();
  });
  test.each([
    ['localhost', /\(it has a single label\)/],
    ['*.example.com', /is a wildcard/],
    ['db.example.com.', /ends with a dot\. Give the name without the trailing dot, e\.g\. "db\.example\.com"/],
    ['-db.example.com', /the label "-db" is not 1-63 letters/],
    ['10.0.1.20', /is an IP address, not a DNS name/],
    [`${'a'.repeat(250)}.com`, /the name is 254 characters long; a DNS name has at most 253/],
    ['db.123', /is not a DNS name \(it looks like an IP address\)/],
  ])('GIVEN %s THEN %s', (name, message) => {
    expect(checkResourceDnsName('target', name)).toMatch(message);
  });
});

describe('checkResourceArn', () => {
  test.each(['arn:aws:rds:us-east-1:111111111111:db:orders', 'arn:aws:rds:eu-west-1:111111111111:cluster:aurora-1', 'arn:aws-cn:rds:cn-north-1:111111111111:db:x'])(
    'GIVEN %s THEN accepted',
    (arn) => expect(checkResourceArn('target', arn)).toBeUndefined(),
  );
  test.each([
    ['arn:aws:rds:us-east-1:111111111111:snapshot:s', /an RDS ARN, but not of a DB instance/],
    ['arn:aws:ec2:us-east-1:111111111111:instance/i-0123', /an ARN of ec2/],
    ['orders', /"orders" is not an ARN\./],
    ['arn:aws:rds:us-east-1:1111:db:orders', /an RDS ARN, but not/],
  ])('GIVEN %s THEN refused', (arn, message) => {
    expect(checkResourceArn('target', arn)).toMatch(message);
  });
});

describe('checkPortRanges and portRangeText', () => {
  test('GIVEN ordered, disjoint ranges THEN no problem, and the text of each', () => {
    const ranges = [{ fromPort: 1, toPort: 1024 }, { fromPort: 5432 }, { fromPort: 65535, toPort: 65535 }];
    expect(checkPortRanges('portRanges', ranges)).toEqual([]);
    expect(ranges.map(portRangeText)).toEqual(['1-1024', '5432', '65535']);
  });
  test('GIVEN no range THEN a problem', () => {
    expect(checkPortRanges('portRanges', [])).toEqual(['portRanges: the list is empty. Give at least one range, e.g. [{ fromPort: 5432 }], or use port.']);
  });
  test('GIVEN two bad ranges THEN one problem each, named by index', () => {
    expect(checkPortRanges('portRanges', [{ fromPort: 0 }, { fromPort: 1.5 }])).toEqual([
      'portRanges[0].fromPort: 0 is not a TCP port. Use a whole number from 1 to 65535.',
      'portRanges[1].fromPort: 1.5 is not a TCP port. Use a whole number from 1 to 65535.',
    ]);
  });
  test('GIVEN adjacent ranges THEN fine; touching ones overlap', () => {
    expect(checkPortRanges('p', [{ fromPort: 80, toPort: 89 }, { fromPort: 90 }])).toEqual([]);
    expect(checkPortRanges('p', [{ fromPort: 90 }, { fromPort: 80, toPort: 90 }])).toEqual([
      'p: ranges 1 (80-90) and 0 (90) overlap. Merge them into one range.',
    ]);
  });
});

describe('parseSharePrincipal', () => {
  test.each([
    ['222222222222', 'account'],
    [' 222222222222 ', 'account'],
    ['arn:aws:organizations::111111111111:ou/o-exampleorg1/ou-ab12-cdef3456', 'organizational-unit'],
    ['arn:aws:organizations::111111111111:organization/o-exampleorg1', 'organization'],
  ])('GIVEN %j THEN %s', (value, kind) => {
    expect(parseSharePrincipal('shareWith[0]', value)).toEqual({ kind });
  });
  test.each([
    ['arn:aws:iam::222222222222:root', /not IAM roles or users: name the account/],
    ['o-exampleorg1', /Give the full ARN, not the bare ID/],
    ['*', /no wildcard principal/],
    ['1234567890123', /It has 13 digits/],
    ['arn:aws:organizations::111111111111:ou/o-x/ou-1', /is not an account ID, an OU ARN or an organization ARN\. Use a 12-digit account ID/],
  ])('GIVEN %j THEN refused', (value, message) => {
    const result = parseSharePrincipal('CONSUMER_ACCOUNT_ID', value);
    expect('problem' in result && result.problem).toMatch(/^CONSUMER_ACCOUNT_ID: /);
    expect('problem' in result && result.problem).toMatch(message);
  });
});

describe('checkResourceConfigurationArn', () => {
  const ARN = 'arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0';
  test('GIVEN a configuration ARN THEN accepted, with its region and account', () => {
    expect(checkResourceConfigurationArn('RESOURCE_CONFIGURATION_ARN', ARN)).toBeUndefined();
    expect(partsOfResourceConfigurationArn(ARN)).toEqual({ region: 'us-east-1', account: '111111111111' });
  });
  test.each([
    ['arn:aws:vpc-lattice:us-east-1:111111111111:resourcegateway/rgw-0123456789abcdef0', ''],
    ['rcfg-0123456789abcdef0', ' That is the configuration ID: give its ARN.'],
    ['arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123', ''],
  ])('GIVEN %s THEN refused with the fix', (value, hint) => {
    expect(checkResourceConfigurationArn('RESOURCE_CONFIGURATION_ARN', value)).toBe(
      `RESOURCE_CONFIGURATION_ARN: ${JSON.stringify(value)} is not a resource configuration ARN.${hint} Use the ARN the provider team sends you ` +
        '(the provider stack output ResourceConfigurationArn), e.g. "arn:aws:vpc-lattice:us-east-1:111111111111:resourceconfiguration/rcfg-0123456789abcdef0".',
    );
    expect(partsOfResourceConfigurationArn(value)).toBeUndefined();
  });
});
