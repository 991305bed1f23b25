/** GET /users/{username}/stories: the active stories in time, their cursor the `published` instant (ms) of the last one. */
import type { Answer } from './answers.js';
import { patched } from './answers.js';
import { type ListQuery, pageAnswer } from './pages.js';
import type { Persona } from './personas.js';
import { sandboxStories } from './stories.js';

export function storiesPage(username: string, persona: Persona | undefined, nowMs: number, query: ListQuery): Answer {
  const all = sandboxStories(username, persona, nowMs);
  const before = Number(query.cursor ?? 0);
  const remaining = before === 0 ? all : all.filter((s) => Date.parse(s.published) < before);
  const items: unknown[] = remaining.slice(0, query.count);
  for (const [index, item] of Object.entries(persona?.breaksContract?.stories ?? {})) {
    const at = Number(index);
    if (before === 0 && at < items.length)
      items[at] = typeof item === 'object' && item !== null ? patched(items[at] as object, item as Record<string, unknown>) : item;
  }
  const last = remaining.slice(0, query.count).at(-1);
  const nextCursor = remaining.length > query.count && last ? String(Date.parse(last.published)) : null;
  // `next` and `partOf` name the normalised username, as before.
  const url = new URL(query.url);
  url.pathname = `/v1/tiktok/users/${username}/stories`;
  url.search = '';
  return pageAnswer({ ...query, url, cursor: before === 0 ? undefined : query.cursor }, { items, nextCursor }, persona?.unknownTotal ? null : all.length);
}
