/**
 * The two string formats of the OpenAPI file, checked in the compiled validators as the GraphQL
 * scalars will read them: a `uri` that `URL` parses, a `date-time` that `Date` reads (RFC 3339).
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export const contractFormats = {
  uri: (value: string) => URL.canParse(value),
  'date-time': (value: string) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
};
