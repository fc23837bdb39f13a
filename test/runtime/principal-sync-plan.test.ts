/** The principal sync's pure decisions (src/runtime/principal-sync/plan.ts). */
import { batches, desiredPrincipals, planSync, rootArn } from '../../src/runtime/principal-sync/plan';

const A = '222222222222';
const B = '333333333333';
const C = '444444444444';
const root = (id: string) => rootArn(id, 'aws');

describe('desiredPrincipals', () => {
  test('GIVEN active, suspended and static principals THEN the roots of the active accounts plus the statics, once each, sorted', () => {
    const accounts = [
      { id: B, state: 'ACTIVE' },
      { id: A, state: 'ACTIVE' },
      { id: C, state: 'SUSPENDED' },
    ];
    const statics = [A, 'arn:aws:iam::555555555555:role/Consumer'];
    expect(desiredPrincipals(accounts, statics, 'aws')).toEqual([
      'arn:aws:iam::222222222222:root',
      'arn:aws:iam::333333333333:root',
      'arn:aws:iam::555555555555:role/Consumer',
    ]);
  });

  test('GIVEN another partition THEN the roots are written in it', () => {
    expect(desiredPrincipals([{ id: A, state: 'ACTIVE' }], [], 'aws-cn')).toEqual(['arn:aws-cn:iam::222222222222:root']);
  });
});

describe('planSync', () => {
  test('GIVEN an account that joined and one that left THEN the first is added and the second removed', () => {
    const plan = planSync([root(A), root(B)], { complete: true, accounts: [{ id: A, state: 'ACTIVE' }, { id: C, state: 'ACTIVE' }] }, [], 'aws');
    expect(plan).toEqual({ add: [root(C)], remove: [root(B)], unchanged: 1 });
  });

  test('GIVEN a principal that is neither in the OUs nor static THEN it is removed (the sync is the only writer)', () => {
    const plan = planSync([root(A), 'arn:aws:iam::999999999999:user/manual'], { complete: true, accounts: [{ id: A, state: 'ACTIVE' }] }, [], 'aws');
    expect(plan.remove).toEqual(['arn:aws:iam::999999999999:user/manual']);
  });

  test('GIVEN a static principal missing from the OUs THEN it stays', () => {
    const plan = planSync([root(B)], { complete: true, accounts: [] }, [B], 'aws');
    expect(plan).toEqual({ add: [], remove: [], unchanged: 1 });
  });

  test('GIVEN a listing that failed THEN nothing is added or removed, and the reason is kept', () => {
    const plan = planSync([root(A), root(B)], { complete: false, error: 'listing ou-ab12-cdefgh34 failed: AccessDenied' }, [C], 'aws');
    expect(plan).toEqual({ add: [], remove: [], unchanged: 2, heldBack: 'listing ou-ab12-cdefgh34 failed: AccessDenied' });
  });

  test('GIVEN the list already right THEN nothing to do', () => {
    expect(planSync([root(A)], { complete: true, accounts: [{ id: A, state: 'ACTIVE' }] }, [], 'aws')).toEqual({ add: [], remove: [], unchanged: 1 });
  });
});

test('batches splits into slices of at most the size', () => {
  expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  expect(batches([], 2)).toEqual([]);
});
