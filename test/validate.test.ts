import {
  checkAccountId,
  checkPort,
  checkRegion,
  checkServiceName,
  parsePrincipal,
  regionOfServiceName,
  type ParsedPrincipal,
} from '../src/validate';

const VALID_SERVICE = 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0';

/** Narrows a parsePrincipal result to its problem message, failing the test when it parsed. */
function problemOf(result: ParsedPrincipal | { problem: string }): string {
  if (!('problem' in result)) throw new Error(`expected a problem, got ${JSON.stringify(result)}`);
  return result.problem;
}

describe('checkAccountId', () => {
  test('GIVEN 12 digits WHEN checked THEN no problem', () => {
    expect(checkAccountId('accountId', '123456789012')).toBeUndefined();
  });

  test('GIVEN 12 digits with leading zeros WHEN checked THEN accepted as is', () => {
    expect(checkAccountId('accountId', '000000000042')).toBeUndefined();
  });

  test.each([
    ['11 digits', '12345678901', 11],
    ['13 digits', '1234567890123', 13],
  ])('GIVEN %s WHEN checked THEN the message names input, value, digit count and the fix', (_name, value, digits) => {
    const problem = checkAccountId('CONSUMER_ACCOUNT_ID', value);
    expect(problem).toMatch(/^CONSUMER_ACCOUNT_ID: /);
    expect(problem).toContain(`"${value}"`);
    expect(problem).toContain(`It has ${digits} digits`);
    expect(problem).toContain('keep leading zeros');
    expect(problem).toContain('Use the 12-digit ID of the account');
  });

  test('GIVEN letters WHEN checked THEN the message shows the value and the fix, without a digit count', () => {
    const problem = checkAccountId('accountId', '12345678901a');
    expect(problem).toMatch(/^accountId: "12345678901a" is not an AWS account ID\./);
    expect(problem).not.toContain('digits;');
    expect(problem).toContain('e.g. "123456789012"');
  });

  test('GIVEN an empty string WHEN checked THEN a problem', () => {
    expect(checkAccountId('accountId', '')).toMatch(/^accountId: "" is not an AWS account ID/);
  });
});

describe('parsePrincipal', () => {
  test('GIVEN an account ID WHEN parsed THEN the root ARN of that account in the default partition', () => {
    expect(parsePrincipal('p', '123456789012', false)).toEqual({
      arn: 'arn:aws:iam::123456789012:root',
      accountId: '123456789012',
    });
  });

  test('GIVEN an account ID with leading zeros WHEN parsed THEN the zeros are kept', () => {
    expect(parsePrincipal('p', '012345678901', false)).toEqual({
      arn: 'arn:aws:iam::012345678901:root',
      accountId: '012345678901',
    });
  });

  test('GIVEN surrounding blanks WHEN parsed THEN they are trimmed', () => {
    expect(parsePrincipal('p', ' 123456789012 ', false)).toEqual({
      arn: 'arn:aws:iam::123456789012:root',
      accountId: '123456789012',
    });
  });

  test.each(['aws-cn', 'aws-us-gov'])('GIVEN partition %s WHEN an account ID is parsed THEN the root ARN uses it', (partition) => {
    expect(parsePrincipal('p', '123456789012', false, partition)).toEqual({
      arn: `arn:${partition}:iam::123456789012:root`,
      accountId: '123456789012',
    });
  });

  test.each([
    'arn:aws:iam::123456789012:root',
    'arn:aws:iam::123456789012:role/ConsumerRole',
    'arn:aws:iam::123456789012:role/path/to/Role-1',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws-cn:iam::123456789012:role/ChinaRole',
    'arn:aws-us-gov:iam::123456789012:user/gov.user@example',
  ])('GIVEN the IAM ARN %s WHEN parsed THEN kept verbatim with its account', (arn) => {
    expect(parsePrincipal('p', arn, false)).toEqual({ arn, accountId: '123456789012' });
  });

  test('GIVEN "*" without opt-in WHEN parsed THEN refused with a message mentioning allowAnyPrincipal', () => {
    const problem = problemOf(parsePrincipal('allowedPrincipals[0]', '*', false));
    expect(problem).toMatch(/^allowedPrincipals\[0\]: "\*" lets every AWS account connect/);
    expect(problem).toContain('Name the consumer accounts instead');
    expect(problem).toContain('allowAnyPrincipal: true');
  });

  test('GIVEN "*" with opt-in WHEN parsed THEN the wildcard principal, without an account', () => {
    expect(parsePrincipal('p', '*', true)).toEqual({ arn: '*' });
  });

  test.each([
    ['an S3 ARN', 'arn:aws:s3:::my-bucket'],
    ['an IAM ARN with a short account', 'arn:aws:iam::12345:root'],
    ['an IAM group ARN', 'arn:aws:iam::123456789012:group/admins'],
    ['an unknown partition', 'arn:azure:iam::123456789012:root'],
    ['a word', 'everyone'],
  ])('GIVEN %s WHEN parsed THEN the message names input, value and the accepted forms', (_name, value) => {
    const problem = problemOf(parsePrincipal('allowPrincipal()', value, false));
    expect(problem).toMatch(/^allowPrincipal\(\): /);
    expect(problem).toContain(JSON.stringify(value));
    expect(problem).toContain('is not an account ID or an IAM principal ARN');
    expect(problem).toContain('"arn:aws:iam::123456789012:role/NAME"');
  });

  test('GIVEN a number with the wrong digit count WHEN parsed THEN the account-ID message with the count', () => {
    const problem = problemOf(parsePrincipal('allowedPrincipals[1]', '12345', false));
    expect(problem).toBe(
      'allowedPrincipals[1]: "12345" is not an AWS account ID. It has 5 digits; account IDs have exactly 12 ' +
        '(keep leading zeros). Use the 12-digit ID of the account, e.g. "123456789012".',
    );
  });
});

describe('checkServiceName', () => {
  test.each([
    VALID_SERVICE,
    'com.amazonaws.vpce.ap-northeast-1.vpce-svc-0abcdef0123456789',
    'com.amazonaws.vpce.us-gov-west-1.vpce-svc-0123456789abcdef0',
    'cn.com.amazonaws.vpce.cn-north-1.vpce-svc-0123456789abcdef0',
  ])('GIVEN %s WHEN checked THEN no problem', (name) => {
    expect(checkServiceName('serviceName', name)).toBeUndefined();
  });

  test.each([
    ['a wrong prefix', 'com.amazon.vpce.us-east-1.vpce-svc-0123456789abcdef0'],
    ['an AWS service endpoint name', 'com.amazonaws.us-east-1.s3'],
    ['16 hex digits', 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef'],
    ['18 hex digits', 'com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef01'],
    ['no region', 'com.amazonaws.vpce.vpce-svc-0123456789abcdef0'],
    ['a bare service ID', 'vpce-svc-0123456789abcdef0'],
  ])('GIVEN %s WHEN checked THEN the message names input, value and an example', (_name, value) => {
    const problem = checkServiceName('PROVIDER_VPC_ENDPOINT_SERVICE_NAME', value);
    expect(problem).toMatch(/^PROVIDER_VPC_ENDPOINT_SERVICE_NAME: /);
    expect(problem).toContain(`${JSON.stringify(value)} is not a VPC endpoint service name`);
    expect(problem).toContain('stack output ServiceName');
    expect(problem).toContain(`e.g. "${VALID_SERVICE}"`);
  });

  test('GIVEN upper-case letters WHEN checked THEN the message says case is the problem and gives the name in lower case', () => {
    expect(checkServiceName('NAME', VALID_SERVICE.toUpperCase())).toBe(
      `NAME: ${JSON.stringify(VALID_SERVICE.toUpperCase())} has upper-case letters: endpoint service names are all lower case. Use "${VALID_SERVICE}".`,
    );
  });

  test('GIVEN white space around it WHEN checked THEN the message says so and gives the trimmed name', () => {
    expect(checkServiceName('NAME', ` ${VALID_SERVICE}\t`)).toBe(`NAME: ${JSON.stringify(` ${VALID_SERVICE}\t`)} has white space around it. Use "${VALID_SERVICE}".`);
  });

  test('GIVEN upper case and white space WHEN checked THEN both are said', () => {
    expect(checkServiceName('NAME', ` ${VALID_SERVICE.toUpperCase()}`)).toMatch(
      /has upper-case letters and white space around it: endpoint service names are all lower case\. Use "com\.amazonaws/,
    );
  });
});

describe('regionOfServiceName', () => {
  test.each([
    [VALID_SERVICE, 'us-east-1'],
    ['com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0', 'ap-northeast-1'],
    ['com.amazonaws.vpce.us-gov-west-1.vpce-svc-0123456789abcdef0', 'us-gov-west-1'],
  ])('GIVEN %s WHEN read THEN %s', (name, region) => {
    expect(regionOfServiceName(name)).toBe(region);
  });

  test('GIVEN an invalid service name WHEN read THEN undefined', () => {
    expect(regionOfServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-123')).toBeUndefined();
  });
});

describe('checkPort', () => {
  test.each([1, 80, 443, 8443, 65535])('GIVEN %d WHEN checked THEN no problem', (port) => {
    expect(checkPort('port', port)).toBeUndefined();
  });

  test.each([
    [0, '0'],
    [65536, '65536'],
    [70000, '70000'],
    [-1, '-1'],
    [1.5, '1.5'],
  ])('GIVEN %d WHEN checked THEN the message names input, value and the range', (port, shown) => {
    expect(checkPort('port', port)).toBe(`port: ${shown} is not a TCP port. Use a whole number from 1 to 65535.`);
  });

  test('GIVEN NaN WHEN checked THEN the message shows NaN (not "null", as JSON.stringify would)', () => {
    expect(checkPort('port', Number.NaN)).toBe('port: NaN is not a TCP port. Use a whole number from 1 to 65535.');
  });

  test('GIVEN Infinity WHEN checked THEN the message shows Infinity', () => {
    expect(checkPort('port', Number.POSITIVE_INFINITY)).toBe(
      'port: Infinity is not a TCP port. Use a whole number from 1 to 65535.',
    );
  });
});

describe('checkRegion', () => {
  test.each(['us-east-1', 'eu-central-2', 'ap-northeast-1', 'us-gov-west-1'])('GIVEN %s WHEN checked THEN no problem', (region) => {
    expect(checkRegion('serviceRegion', region)).toBeUndefined();
  });

  test.each(['US-EAST-1', 'us-east', 'useast1', 'us-east-1a', ''])('GIVEN %j WHEN checked THEN the message names input, value and an example', (region) => {
    expect(checkRegion('SERVICE_REGION', region)).toBe(
      `SERVICE_REGION: ${JSON.stringify(region)} is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".`,
    );
  });
});
