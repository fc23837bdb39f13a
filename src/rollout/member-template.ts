/**
 * How a StackSet carries its member template: the pure size rule. Internal: not exported from the package.
 */

/** The most bytes CloudFormation takes in a StackSet's TemplateBody. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
/** The most bytes of a template given by TemplateURL (an S3 object). */
export const TEMPLATE_URL_MAX_BYTES = 460_800;

/** Where the member template goes: inline in the StackSet, or an S3 object it points to. */
export type TemplateSource = { readonly kind: 'body' } | { readonly kind: 'url' } | { readonly kind: 'too-large'; readonly problem: string };

/** TemplateBody up to 51,200 bytes, TemplateURL up to 460,800, refused above. */
export function templateSource(bytes: number): TemplateSource {
  if (bytes <= TEMPLATE_BODY_MAX_BYTES) return { kind: 'body' };
  if (bytes <= TEMPLATE_URL_MAX_BYTES) return { kind: 'url' };
  return {
    kind: 'too-large',
    problem:
      `the member template is ${bytes} bytes, above the ${TEMPLATE_URL_MAX_BYTES} bytes CloudFormation accepts for a StackSet template. ` +
      'Leave out the connectivity check (check: false), or deploy fewer things per account.',
  };
}
