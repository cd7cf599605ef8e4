// Preloaded into `npm run import` by the import benchmark (plain JavaScript, so no loader of its own
// adds to the figure): writes the process's peak RSS in KiB to BENCH_MAX_RSS_FILE when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_MAX_RSS_FILE)
    writeFileSync(process.env.BENCH_MAX_RSS_FILE, String(process.resourceUsage().maxRSS));
});
