// Preloaded with `node --import` by test/harness/loaded-sources.ts: appends the URL of every file module
// the process loads to the file named by LOAD_TRACE_FILE, one per line.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const out = process.env.LOAD_TRACE_FILE;
registerHooks({
  load(url, context, nextLoad) {
    if (out && url.startsWith('file:')) appendFileSync(out, url + '\n');
    return nextLoad(url, context);
  },
});
