import { checkAvailabilityZoneId, checkScheduleMinutes, checkServiceRegion, MAX_SCHEDULE_MINUTES } from '../src/validate';

const SERVICE = 'com.amazonaws.vpce.ap-northeast-1.vpce-svc-0123456789abcdef0';

describe('checkAvailabilityZoneId', () => {
  test.each(['use1-az1', 'apne1-az4', 'usw2-az3', 'euc1-az2', 'use1-bos1-az1'])('GIVEN %s THEN accepted', (id) => {
    expect(checkAvailabilityZoneId('ids', id)).toBeUndefined();
  });

  test('GIVEN an AZ name THEN the message says it is a name and what to use', () => {
    expect(checkAvailabilityZoneId('ids[0]', 'ap-northeast-1a')).toBe(
      'ids[0]: "ap-northeast-1a" is not an Availability Zone ID. That is an AZ name, which means a different zone in each account. ' +
        'Use AZ IDs such as "use1-az1" (the provider stack output AvailabilityZoneIds, or `aws ec2 describe-vpc-endpoint-services --service-names <name>` → AvailabilityZoneIds).',
    );
  });

  test.each(['', 'az1', 'USE1-AZ1', 'use1-az'])('GIVEN %j THEN refused', (id) => {
    expect(checkAvailabilityZoneId('ids', id)).toMatch(/^ids: ".*" is not an Availability Zone ID\. Use AZ IDs such as "use1-az1"/);
  });
});

describe('checkScheduleMinutes', () => {
  test.each([1, 5, 60, MAX_SCHEDULE_MINUTES])('GIVEN %d THEN accepted', (m) => {
    expect(checkScheduleMinutes('s', m)).toBeUndefined();
  });

  test.each([0, -5, 1.5, 1441, Number.NaN])('GIVEN %d THEN the message names the input and the range', (m) => {
    expect(checkScheduleMinutes('s', m)).toBe(
      `s: ${m} is not a schedule in whole minutes. Use a whole number of minutes from 1 to 1440 (one day), e.g. 5.`,
    );
  });
});

describe('checkServiceRegion', () => {
  test('GIVEN the region of the service name THEN accepted', () => {
    expect(checkServiceRegion('serviceRegion', 'ap-northeast-1', SERVICE)).toBeUndefined();
  });

  test('GIVEN another region THEN the message shows both regions and the fix', () => {
    expect(checkServiceRegion('serviceRegion', 'us-east-1', SERVICE)).toBe(
      `serviceRegion: "us-east-1" differs from the region in the service name "${SERVICE}" (ap-northeast-1). ` +
        'The service lives in ap-northeast-1: set serviceRegion to "ap-northeast-1" or leave it unset.',
    );
  });

  test('GIVEN a malformed region THEN the region problem comes first (no comparison)', () => {
    expect(checkServiceRegion('serviceRegion', 'tokyo', SERVICE)).toBe(
      'serviceRegion: "tokyo" is not an AWS region code. Use a code such as "us-east-1" or "ap-northeast-1".',
    );
  });

  test('GIVEN a service name without a region (malformed) THEN only the region code is checked', () => {
    expect(checkServiceRegion('serviceRegion', 'us-east-1', 'not-a-service')).toBeUndefined();
  });
});
