/** The schema: every domain module registers its types on the builder; this file only assembles. */
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from '../builder.js';
import './media.js';
import './user.js';
import './story.js';
import './audio.js';
import './video.js';
import './comment.js';
import './user-lists.js';
import './hashtag.js';
import './hashtag.js';
import './collection.js';
import './live.js';
import './transcript.js';
import './search.js';
import './subscription.js';
import { withEntitiesOneByOne } from './federation.js';

builder.queryType({ description: 'Read TikTok profiles, stories, videos, comments, sounds, hashtags and search through KonbiniAPI.' });

/** The executable schema: an Apollo Federation v2 subgraph (it also serves plain GraphQL clients). */
export const schema = withEntitiesOneByOne(builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6' }));

/** The public API as clients see it (schema/schema.graphql). */
export const printPublicSchema = () => printSchema(lexicographicSortSchema(builder.toSchema({ sortSchema: true })));

/** The subgraph SDL, with federation directives, for composition (schema/subgraph.graphql). */
export const printSubgraphSdl = () => printSubgraphSchema(schema);
