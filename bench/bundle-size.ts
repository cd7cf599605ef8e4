// Tenant app initial JS (issue 6: ≤ 80 KB gzip). Method: from the built dist/client/index.html,
// the module script and every modulepreload link, plus (transitively) every static `import … from`
// of those chunks that the HTML did not list; each file gzipped at zlib's default level 6,
// as a typical server compresses. Lazy `import()` chunks are not initial and not counted.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './lib/report.ts';

const clientDir = 'dist/client';

export function runBundleSize(): Figure[] {
  const html = readFileSync(join(clientDir, 'index.html'), 'utf8');
  const listed = [
    ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ].map((match) => match[1]!);
  const seen = new Set<string>();
  const queue = listed.map((src) => src.replace(/^\//, ''));
  let raw = 0;
  let gzip = 0;
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(join(clientDir, file))) continue;
    seen.add(file);
    const code = readFileSync(join(clientDir, file));
    raw += code.length;
    gzip += gzipSync(code).length;
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const match of code
      .toString()
      .matchAll(/(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([^"']+\.js)["']/g)) {
      queue.push(dir + match[1]!);
    }
  }
  const kb = gzip / 1024;
  return [
    {
      bench: 'bundle-size',
      name: 'tenant app initial JS (gzip)',
      value: kb,
      unit: 'KB',
      target: '≤ 80 KB',
      pass: kb <= 80,
      note: `${seen.size} files, ${(raw / 1024).toFixed(0)} KB before gzip: ${[...seen].join(', ')}`,
    },
  ];
}
