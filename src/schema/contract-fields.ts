/**
 * Reading a property of an upstream body that may have broken the contract (see
 * src/upstream/contract.ts): a violated property fails the field that reads it with
 * UPSTREAM_BAD_RESPONSE, and only that field.
 */
import { CodedError, ErrorCode } from '../errors.js';
import { violatedProperty } from '../upstream/contract.js';

/** `object[key]`, or an UPSTREAM_BAD_RESPONSE error when KonbiniAPI sent it missing or invalid against its contract. */
export function contractValue<T extends object, K extends keyof T & string>(object: T, key: K): T[K] {
  if (violatedProperty(object, key)) {
    throw new CodedError(ErrorCode.UPSTREAM_BAD_RESPONSE, `KonbiniAPI's answer broke its contract: \`${key}\` is missing or invalid.`, { property: key });
  }
  return object[key];
}

/** `object[key]` when present and valid (an embedded copy's field), else undefined: the full resource then answers it. */
export function copiedValue<T extends object, K extends keyof T & string>(object: T | null | undefined, key: K): T[K] | undefined {
  if (!object || violatedProperty(object, key)) return undefined;
  return object[key] ?? undefined;
}

/**
 * A field of an upstream resource: from the full body when we hold it, else from an embedded copy
 * when it has the field, else from `load` (the resource's loader: one call per resource and
 * operation, usually a cache hit). Each read goes through the contract's marks.
 */
export function resourceField<T extends object, K extends keyof T & string>(
  full: T | undefined,
  copy: Partial<Pick<T, K>> | null | undefined,
  key: K,
  load: () => Promise<T>,
): T[K] | Promise<T[K]> {
  if (full) return contractValue(full, key);
  const copied = copiedValue(copy, key);
  if (copied !== undefined) return copied as T[K];
  return load().then((body) => contractValue(body, key));
}
