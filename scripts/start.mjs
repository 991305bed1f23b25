/**
 * `npm start`: compiles src/ into dist/ only when a source (or the compiler settings, or the installed
 * packages) changed since the last build, then runs the compiled server in this very process, so that
 * it receives SIGTERM itself. A restarted container with an up-to-date dist/ answers at once.
 */
// First: the server's V8 settings (how far its heap may grow past what it uses).
import './server-flags.mjs';
import { buildIfChanged } from './build-if-changed.mjs';

buildIfChanged();
await import('../dist/server.js');
