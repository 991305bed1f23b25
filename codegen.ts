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
        scalars: { SafeInt: 'number', DateTime: 'string', URL: 'string' },
      },
    },
  },
};

export default config;
