/**
 * The one upstream call of a cold answer, as the floor and the minimal Yoga server make it: a GET of
 * the profile over a keep-alive `node:http` agent, its JSON body read whole. Env: UPSTREAM, KEY.
 */
import { Agent, request } from 'node:http';

const upstream = new URL(process.env.UPSTREAM ?? 'http://127.0.0.1:4010');
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const headers = { accept: 'application/json', authorization: `Bearer ${process.env.KEY ?? 'knbn_bench'}` };

export interface UpstreamUser {
  name?: string;
  followerCount?: number;
}

/** The profile's `data`, or null when the upstream answers anything but 200. */
export function getUser(username: string): Promise<UpstreamUser | null> {
  return new Promise((resolve, reject) => {
    const req = request({ host: upstream.hostname, port: upstream.port, path: `/v1/tiktok/users/${encodeURIComponent(username)}`, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve(res.statusCode === 200 ? (JSON.parse(Buffer.concat(chunks).toString('utf8')).data ?? null) : null);
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
