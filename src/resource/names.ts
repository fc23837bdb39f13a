import { Names } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * A name for a VPC Lattice resource gateway or resource configuration, unique in the account for this
 * construct: 3-40 lowercase letters, digits and single inner hyphens (what VPC Lattice accepts), from
 * the construct path and a hash of it.
 */
export function latticeName(scope: IConstruct): string {
  const raw = Names.uniqueResourceName(scope, { maxLength: 40, separator: '-' }).toLowerCase();
  const name = raw.replace(/[^a-z0-9-]/g, '').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return name.length >= 3 ? name : `rsc-${name}`;
}
