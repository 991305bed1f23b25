/**
 * Live subscriptions through real clients (graphql-sse in distinct-connections mode, graphql-ws over
 * `ws`) against the server process and the sandbox over HTTP: one poll per watched user per interval
 * whoever listens, events only for what is new, and subscriptions that survive an outage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Received, type Subscriber, metric, sseSubscriber, until, wsSubscriber } from './live-clients.js';
import { type ServerProcess, serveSandbox, startServer } from './server-process.js';

const INTERVAL_MS = 300;
const STORIES = 'subscription Stories($usernames: [String!]!) { storyPublished(usernames: $usernames) { id storyId kind author { username } } }';
const PROFILE = 'subscription Profile($username: String!) { profileChanged(username: $username) { username followerCount bio } }';

let upstream: Awaited<ReturnType<typeof serveSandbox>>;
let server: ServerProcess;
const clients: Subscriber[] = [];

/** Upstream calls so far for `username`'s stories page (polls), or profile. */
const storyPolls = (username: string) => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${username}/stories`)).length;
const profilePolls = (username: string) => upstream.sandbox.calls.filter((c) => c.path.split('?')[0] === `/v1/tiktok/users/${username}`).length;
const callsAbout = (username: string) => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${username}`)).length;

const codesOf = (received: Received) => [
  ...received.events.flatMap((e) => (e.errors ?? []).map((x: { extensions?: { code?: string } }) => x.extensions?.code)),
  ...received.errors.flatMap((e) => (Array.isArray(e) ? e.map((x) => x.extensions?.code) : [(e as { extensions?: { code?: string } }).extensions?.code])),
];

function sse() {
  const client = sseSubscriber(server.url);
  clients.push(client);
  return client;
}

function ws() {
  const client = wsSubscriber(server.url);
  clients.push(client);
  return client;
}

/** Waits for `count` more polls of `poll` than now: whatever a poll would deliver has been delivered by then. */
async function afterPolls(poll: () => number, count: number, what: string) {
  const from = poll();
  await until(() => poll() >= from + count, `${count} more polls of ${what}`);
}

beforeAll(async () => {
  upstream = await serveSandbox();
  // A still clock: the sandbox's stories only change when a test publishes one.
  const frozen = Date.parse('2026-12-01T12:00:00Z');
  upstream.sandbox.now = () => frozen;
  server = await startServer({
    KONBINI_BASE_URL: upstream.url,
    KONBINI_API_KEY: 'knbn_test',
    LIVE_POLL_INTERVAL_MS: String(INTERVAL_MS),
    LIVE_MAX_SUBSCRIPTIONS_PER_CLIENT: '0',
    UPSTREAM_RETRY_BASE_MS: '10',
  });
}, 30_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server?.kill();
  await upstream?.close();
});

describe('storyPublished', () => {
  it('delivers a new story to all 50 subscribers of its author and to none of the 10 of another user, polling each user once per interval', async () => {
    const [star, other] = ['fan_out_star', 'fan_out_other'];
    const sseClient = sse();
    const wsClient = ws();
    const stars = Array.from({ length: 50 }, (_, i) => (i % 2 ? sseClient : wsClient).subscribe(STORIES, { usernames: [star] }));
    const others = Array.from({ length: 10 }, (_, i) => (i % 2 ? sseClient : wsClient).subscribe(STORIES, { usernames: [`@${other.toUpperCase()}`] }));
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 60, '60 open subscriptions');
    // The baseline is taken once every subscription is open: what existed then is never an event.
    await afterPolls(() => storyPolls(star), 2, star);
    await afterPolls(() => storyPolls(other), 2, other);
    expect([...stars, ...others].every((s) => s.events.length === 0)).toBe(true);

    const story = upstream.sandbox.publishStory(star);
    await until(() => stars.every((s) => s.events.length >= 1), 'the story at all 50 subscribers');
    await afterPolls(() => storyPolls(other), 2, other);
    await afterPolls(() => storyPolls(star), 2, star);

    for (const s of stars) {
      expect(s.events).toHaveLength(1); // once, and nothing for the stories that were there before
      expect(s.events[0].data.storyPublished).toMatchObject({ storyId: story.entityId, author: { username: star } });
      expect(s.errors).toEqual([]);
    }
    expect(others.every((s) => s.events.length === 0)).toBe(true);
    // One poll per user per interval, shared by 50 subscribers or 10: the two users are polled alike.
    expect(Math.abs(storyPolls(star) - storyPolls(other))).toBeLessThanOrEqual(2);
    expect(await metric(server.origin, 'live_topics_watched')).toBe(2);
    for (const s of [...stars, ...others]) s.dispose();
  });

  it('several usernames in one subscription: each user’s stories, once, oldest first', async () => {
    const [a, b] = ['multi_a', 'multi_b'];
    const sub = sse().subscribe(STORIES, { usernames: [a, b, `@${a}`] });
    await afterPolls(() => Math.min(storyPolls(a), storyPolls(b)), 2, 'both users');
    const first = upstream.sandbox.publishStory(a);
    const second = upstream.sandbox.publishStory(a);
    const third = upstream.sandbox.publishStory(b);
    await until(() => sub.events.length >= 3, 'three stories');
    await afterPolls(() => Math.min(storyPolls(a), storyPolls(b)), 2, 'both users');
    const ids = sub.events.map((e) => e.data.storyPublished.storyId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids)).toEqual(new Set([first.entityId, second.entityId, third.entityId]));
    expect(ids.indexOf(first.entityId)).toBeLessThan(ids.indexOf(second.entityId));
    sub.dispose();
  });

  it('stops polling within an interval once the last subscriber has left', async () => {
    const user = 'leaving_user';
    const subs = [sse().subscribe(STORIES, { usernames: [user] }), ws().subscribe(STORIES, { usernames: [user] })];
    await afterPolls(() => storyPolls(user), 2, user);
    subs[0]!.dispose();
    await afterPolls(() => storyPolls(user), 1, user); // one subscriber left: still polled
    subs[1]!.dispose();
    await until(async () => (await metric(server.origin, 'live_subscriptions_active')) === 0, 'no open subscription');
    // A poll already in flight may still land; then nothing more, however long we wait for one.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    const settled = storyPolls(user);
    const watcher = sse().subscribe(STORIES, { usernames: ['still_watched'] });
    await afterPolls(() => storyPolls('still_watched'), 4, 'another user, as a clock');
    expect(storyPolls(user)).toBe(settled);
    watcher.dispose();
  });

  it('an outage in the middle loses no story and delivers it once; the subscription stays open', async () => {
    const user = 'outage_user';
    const sub = ws().subscribe(STORIES, { usernames: [user] });
    await afterPolls(() => storyPolls(user), 2, user);
    upstream.sandbox.outage = true;
    const failed = () => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${user}/stories`) && c.status === 503).length;
    await afterPolls(failed, 2, `${user} failing`);
    const story = upstream.sandbox.publishStory(user);
    await afterPolls(failed, 2, `${user} failing`);
    expect(sub.events).toEqual([]);
    upstream.sandbox.outage = false;
    await until(() => sub.events.length >= 1, 'the story after the outage');
    await afterPolls(() => storyPolls(user), 3, user);
    expect(sub.events.map((e) => e.data?.storyPublished.storyId)).toEqual([story.entityId]);
    expect(sub.completed).toBe(false);
    expect(sub.errors).toEqual([]);
    sub.dispose();
  });

  it('refuses malformed usernames and too long lists with BAD_USER_INPUT before any upstream call', async () => {
    const before = upstream.sandbox.calls.length;
    const tooMany = Array.from({ length: 51 }, (_, i) => `user_${i}`);
    const refused = [
      sse().subscribe(STORIES, { usernames: ['not a username'] }),
      ws().subscribe(STORIES, { usernames: ['ok_user', '../../admin'] }),
      sse().subscribe(STORIES, { usernames: tooMany }),
      ws().subscribe(STORIES, { usernames: [] }),
      ws().subscribe(PROFILE, { username: 'x'.repeat(40) }),
    ];
    await until(() => refused.every((r) => r.completed || r.errors.length > 0), 'every refusal');
    for (const r of refused) expect(codesOf(r)).toEqual(['BAD_USER_INPUT']);
    expect(upstream.sandbox.calls.length).toBe(before);
  });

  it('ends the subscription with NOT_FOUND when the user does not exist', async () => {
    const sub = sse().subscribe(STORIES, { usernames: ['missing_live'] });
    await until(() => sub.completed || sub.errors.length > 0, 'the end of the subscription');
    expect(codesOf(sub)).toEqual(['NOT_FOUND']);
    await until(async () => (await metric(server.origin, 'live_topics_watched')) === 0, 'the topic unwatched');
  });
});

describe('videoPublished', () => {
  it('delivers a video posted while subscribed, once, and nothing for the videos already there', async () => {
    const user = 'video_user';
    const polls = () => upstream.sandbox.calls.filter((c) => c.path.startsWith(`/v1/tiktok/users/${user}/videos`)).length;
    const sub = ws().subscribe('subscription($u: [String!]!) { videoPublished(usernames: $u) { videoId author { username } } }', { u: [user] });
    await afterPolls(polls, 2, user);
    const video = upstream.sandbox.publishVideo(user);
    await until(() => sub.events.length >= 1, 'the video');
    await afterPolls(polls, 2, user);
    expect(sub.events.map((e) => e.data.videoPublished)).toEqual([{ videoId: video.entityId, author: { username: user } }]);
    sub.dispose();
  });
});

describe('profileChanged', () => {
  it('fires when a field changes and not otherwise', async () => {
    const user = 'changing_user';
    const sse1 = sse().subscribe(PROFILE, { username: user });
    const ws1 = ws().subscribe(PROFILE, { username: `@${user}` });
    await afterPolls(() => profilePolls(user), 4, user);
    expect([...sse1.events, ...ws1.events]).toEqual([]);
    const changed = upstream.sandbox.changeProfile(user);
    await until(() => sse1.events.length >= 1 && ws1.events.length >= 1, 'the change at both subscribers');
    await afterPolls(() => profilePolls(user), 3, user);
    for (const sub of [sse1, ws1]) {
      expect(sub.events).toHaveLength(1);
      expect(sub.events[0].data.profileChanged).toMatchObject({ username: user, followerCount: changed.followerCount });
    }
    upstream.sandbox.changeProfile(user, { summary: 'a new bio' });
    await until(() => sse1.events.length >= 2, 'the bio change');
    expect(sse1.events[1].data.profileChanged.bio).toBe('a new bio');
    expect(callsAbout(user)).toBe(profilePolls(user)); // the events read the polled profile: no call of their own
    sse1.dispose();
    ws1.dispose();
  });
});
