/** GraphQL Code Generator: typed documents and a persisted-documents manifest for test/operations. */
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/operations/*.graphql'],
  ignoreNoDocuments: false,
  importExtension: '.js',
  generates: {
    'test/operations/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: true },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        // Both directions spelled out: SafeInt travels as a JSON number, DateTime (RFC 3339) and URL as strings.
        scalars: {
          SafeInt: { input: 'number', output: 'number' },
          DateTime: { input: 'string', output: 'string' },
          URL: { input: 'string', output: 'string' },
        },
        // A custom scalar added to the schema without a mapping fails generation instead of becoming `any`.
        strictScalars: true,
      },
    },
  },
};

export default config;
