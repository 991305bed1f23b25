import { setup } from '../test/helpers.ts';
const { gql } = setup({ config: { production: true } });
const q = (s: string) => gql(s).then((r) => console.log(r.status, JSON.stringify(r.errors ?? r.data).slice(0, 400)));
await q(`{ ${Array.from({ length: 40 }, (_, i) => `a${i}: user(username: "x") { username }`).join(' ')} }`);
await q(`{ user(username:"a") { stories { nodes { author { stories { nodes { author { stories { nodes { author { stories { nodes { author { username } } } } } } } } } } } } } }`);
await q(`{ user(username:"a") { usernme } }`);
await q(`query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`);
