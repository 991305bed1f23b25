/**
 * Opaque, tamper-evident connection cursors. An edge cursor names its list (the endpoint and every
 * parameter that shapes it: owner, order, query...), the upstream page the item was on, its position
 * there and its id, so resuming after any edge returns the very next item, and a cursor replayed on
 * another list is refused. The HMAC makes a forged or foreign cursor a BAD_USER_INPUT instead of a
 * wasted upstream call.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../errors.js';

export interface ListCursor {
  /** The list's identity (see `listKey`). */
  list: string;
  /** The upstream cursor of the page holding the item. */
  pageCursor: string;
  /** The item's index within that page. */
  offset: number;
  /** The item's id, to find it again on a page whose items moved (null when it has none). */
  item: string | null;
}

export interface CursorCodec {
  encode(cursor: ListCursor): string;
  /** Decodes a cursor we issued for the list `list`, or throws BAD_USER_INPUT. */
  decode(raw: string, list: string): ListCursor;
  /** The position a cursor claims, unverified (for estimates, where the list may be unknown). */
  peekOffset(raw: string): number | null;
}

const VERSION = 2;

export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 12);
  const invalid = () => new BadUserInputError('`after` is not a cursor this server issued for this list.', 'after');
  return {
    encode({ list, pageCursor, offset, item }) {
      const payload = Buffer.from(JSON.stringify([VERSION, list, pageCursor, offset, item])).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(raw, list) {
      const [payload, signature, ...rest] = raw.split('.');
      if (!payload || !signature || rest.length > 0) throw invalid();
      const expected = sign(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const [version, owner, pageCursor, offset, item] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
      if (version !== VERSION || owner !== list || typeof pageCursor !== 'string' || !Number.isInteger(offset) || (item !== null && typeof item !== 'string')) {
        throw invalid();
      }
      return { list, pageCursor, offset: offset as number, item: item as string | null };
    },
    peekOffset(raw) {
      try {
        const offset = (JSON.parse(Buffer.from(raw.split('.')[0] ?? '', 'base64url').toString()) as unknown[])[3];
        return Number.isInteger(offset) ? (offset as number) : null;
      } catch {
        return null;
      }
    },
  };
}
