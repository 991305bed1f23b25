/**
 * Trusted-documents mode: only the operations of a persisted-documents manifest (GraphQL Code
 * Generator's `persisted-documents.json`, hash -> document) run, sent by id as `documentId` or as
 * `extensions.persistedQuery.sha256Hash`; any other operation is refused with a clear error.
 */
import { readFileSync } from 'node:fs';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';

export function loadManifest(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const entries = Object.entries(manifest).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (entries.length === 0) throw new Error(`TRUSTED_DOCUMENTS: ${path} holds no document`);
  return new Map(entries);
}

export function useTrustedDocuments(manifest: Map<string, string>): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    getPersistedOperation: (id) => manifest.get(id) ?? null,
    extractPersistedOperationId: (params, request, context) => {
      const documentId = (params as { documentId?: unknown }).documentId;
      return typeof documentId === 'string' ? documentId : defaultExtractPersistedOperationId(params, request, context);
    },
    customErrors: {
      persistedQueryOnly: {
        message: 'This server runs trusted documents only: send the `documentId` of an operation from its manifest.',
        extensions: { code: 'TRUSTED_DOCUMENTS_ONLY', http: { status: 400 } },
      },
      notFound: {
        message: 'No trusted document has this id.',
        extensions: { code: 'TRUSTED_DOCUMENT_NOT_FOUND', http: { status: 404 } },
      },
    },
  });
}
