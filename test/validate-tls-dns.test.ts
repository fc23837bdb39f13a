import {
  checkCertificateArn,
  checkDomainName,
  checkHostedZoneId,
  regionOfCertificateArn,
} from '../src/validate';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef';

describe('checkCertificateArn', () => {
  test.each([
    CERT,
    'arn:aws-cn:acm:cn-north-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef',
    'arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef',
  ])('GIVEN %s THEN no problem', (arn) => {
    expect(checkCertificateArn('tls.certificate', arn)).toBeUndefined();
  });

  test.each([
    ['a bare UUID', '01234567-89ab-cdef-0123-456789abcdef'],
    ['an 11-digit account', 'arn:aws:acm:eu-west-1:12345678901:certificate/01234567-89ab-cdef-0123-456789abcdef'],
    ['a short certificate ID', 'arn:aws:acm:eu-west-1:123456789012:certificate/0123'],
    ['another service', 'arn:aws:s3:eu-west-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef'],
    ['no region', 'arn:aws:acm::123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef'],
  ])('GIVEN %s THEN the message names the input, the value and shows an example', (_case, value) => {
    const problem = checkCertificateArn('CERTIFICATE_ARN', value);
    expect(problem).toBe(
      `CERTIFICATE_ARN: ${JSON.stringify(value)} is not an ACM certificate ARN. Use the ARN of an ACM certificate in ` +
        "the provider's region that covers the service's DNS name, e.g. " +
        '"arn:aws:acm:us-east-1:123456789012:certificate/01234567-89ab-cdef-0123-456789abcdef".',
    );
  });

  test('GIVEN an IAM server certificate THEN the message says to use ACM', () => {
    expect(checkCertificateArn('c', 'arn:aws:iam::123456789012:server-certificate/web')).toContain(
      'This is an IAM server certificate: import or request the certificate in ACM instead.',
    );
  });

  test('regionOfCertificateArn reads the region of a valid ARN only', () => {
    expect(regionOfCertificateArn(CERT)).toBe('eu-west-1');
    expect(regionOfCertificateArn('nope')).toBeUndefined();
  });
});

describe('checkDomainName', () => {
  test.each(['api.example.com', 'a.b', 'API.Example.COM', `${'a'.repeat(63)}.example.com`, 'x-1.example.co.uk'])(
    'GIVEN %s THEN no problem',
    (name) => expect(checkDomainName('privateDnsName.domainName', name)).toBeUndefined(),
  );

  test('GIVEN a wildcard THEN refused as a wildcard', () => {
    expect(checkDomainName('PRIVATE_DNS_NAME', '*.example.com')).toBe(
      'PRIVATE_DNS_NAME: "*.example.com" is a wildcard. An endpoint service\'s private DNS name is one exact name. ' +
        'Use a name in a domain you own and can publish a TXT record in, e.g. "api.example.com".',
    );
  });

  test('GIVEN a trailing dot THEN the fix shows the name without it', () => {
    expect(checkDomainName('d', 'api.example.com.')).toBe(
      'd: "api.example.com." ends with a dot. Give the name without the trailing dot, e.g. "api.example.com".',
    );
  });

  test('GIVEN more than 255 characters THEN the length is named', () => {
    const name = `${Array.from({ length: 5 }, () => 'a'.repeat(60)).join('.')}.example.com`;
    expect(checkDomainName('d', name)).toMatch(/^d: the name is 316 characters long; a DNS name has at most 255\./);
  });

  test.each([
    ['localhost', 'it has a single label'],
    ['api..example.com', 'the label "" is not 1-63 letters, digits or inner hyphens'],
    ['-api.example.com', 'the label "-api" is not 1-63 letters, digits or inner hyphens'],
    ['api_1.example.com', 'the label "api_1" is not 1-63 letters, digits or inner hyphens'],
    [`${'a'.repeat(64)}.example.com`, `the label "${'a'.repeat(64)}" is not 1-63 letters, digits or inner hyphens`],
    ['10.0.0.1', 'it looks like an IP address'],
    ['https://api.example.com', 'the label "https://api" is not 1-63 letters, digits or inner hyphens'],
  ])('GIVEN %s THEN the reason is: %s', (name, why) => {
    expect(checkDomainName('privateDnsName.domainName', name)).toBe(
      `privateDnsName.domainName: ${JSON.stringify(name)} is not a DNS name (${why}). Use a name in a domain you own ` +
        'and can publish a TXT record in, e.g. "api.example.com".',
    );
  });
});

describe('checkHostedZoneId', () => {
  test.each(['Z0123456789ABCDEFGHIJ', 'Z1', 'ZABCDEFGHIJKLMNOPQRSTUVWXYZ012345'])('GIVEN %s THEN no problem', (id) => {
    expect(checkHostedZoneId('HOSTED_ZONE_ID', id)).toBeUndefined();
  });

  test.each(['z0123456789abc', 'A0123456789', 'Z', 'Z0123456789-ABC', 'example.com'])(
    'GIVEN %s THEN the message names the input, the value and where to find the ID',
    (id) => {
      expect(checkHostedZoneId('HOSTED_ZONE_ID', id)).toBe(
        `HOSTED_ZONE_ID: ${JSON.stringify(id)} is not a Route 53 hosted zone ID. Use the ID of the public hosted zone of ` +
          'the domain (Route 53 console, or `aws route53 list-hosted-zones-by-name`), e.g. "Z0123456789ABCDEFGHIJ".',
      );
    },
  );

  test('GIVEN the /hostedzone/ form THEN the fix shows the bare ID', () => {
    expect(checkHostedZoneId('HOSTED_ZONE_ID', '/hostedzone/Z0123ABC')).toContain('Drop the "/hostedzone/" prefix: "Z0123ABC".');
  });
});
