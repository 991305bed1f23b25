/**
 * Opaque, tamper-evident connection cursors. An edge cursor names the upstream page the story was on
 * and its position there, so resuming after any edge returns the very next story. The HMAC makes a
 * forged or foreign cursor a BAD_USER_INPUT instead of a wasted upstream call.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../errors.js';

export interface StoryCursor {
  username: string;
  /** The upstream cursor of the page holding the story. */
  pageCursor: string;
  /** The story's index within that page. */
  offset: number;
}

export interface CursorCodec {
  encode(cursor: StoryCursor): string;
  /** Decodes a cursor we issued for `username`'s stories, or throws BAD_USER_INPUT. */
  decode(raw: string, username: string): StoryCursor;
  /** The position a cursor claims, unverified (for estimates, where the owner may be unknown). */
  peekOffset(raw: string): number | null;
}

const VERSION = 1;

export function createCursorCodec(secret: string): CursorCodec {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 12);
  const invalid = () => new BadUserInputError('`after` is not a cursor this server issued for these stories.', 'after');
  return {
    encode({ username, pageCursor, offset }) {
      const payload = Buffer.from(JSON.stringify([VERSION, username, pageCursor, offset])).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(raw, username) {
      const [payload, signature, ...rest] = raw.split('.');
      if (!payload || !signature || rest.length > 0) throw invalid();
      const expected = sign(payload);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const [version, owner, pageCursor, offset] = JSON.parse(Buffer.from(payload, 'base64url').toString()) as unknown[];
      if (version !== VERSION || owner !== username || typeof pageCursor !== 'string' || !Number.isInteger(offset)) {
        throw invalid();
      }
      return { username, pageCursor, offset: offset as number };
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
