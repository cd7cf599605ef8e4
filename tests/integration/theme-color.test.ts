import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../server/lib/paths.ts';
import { appThemeColor } from '../../server/services/manifest.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const hex = (r: number, g: number, b: number) =>
  `#${[r, g, b].map((value) => value.toString(16).padStart(2, '0')).join('')}`;

/** The colour of one pixel of a committed icon. */
function pixelOf(file: string, x: number, y: number): string {
  const png = PNG.sync.read(readFileSync(projectPath('client', 'public', 'icons', file)));
  const at = (png.width * y + x) * 4;
  return hex(png.data[at]!, png.data[at + 1]!, png.data[at + 2]!);
}

const metaThemeColor = (html: string) =>
  /<meta\s+name="theme-color"\s+content="([^"]+)"/.exec(html)?.[1]?.toLowerCase();

/** Issue 17: the title bar, the splash screen and the home-screen icon are one colour. */
describe('theme colour', async () => {
  const { app } = await staffWorld([]);

  it("is the same in the manifest, both apps' pages and the icons", async () => {
    const manifest = (await (await app.request('/manifest.webmanifest')).json()) as { theme_color: string };
    const colour = manifest.theme_color.toLowerCase();
    expect(colour).toBe(appThemeColor);
    for (const page of [
      ['client', 'index.html'],
      ['client', 'staff', 'index.html'],
    ] as const)
      expect(metaThemeColor(readFileSync(projectPath(...page), 'utf8'))).toBe(colour);
    // The background of each icon: beside the mark, inside the rounded corners.
    expect(pixelOf('icon-192.png', 96, 12)).toBe(colour);
    expect(pixelOf('icon-512.png', 256, 30)).toBe(colour);
    expect(pixelOf('maskable-512.png', 4, 4)).toBe(colour);
    expect(pixelOf('apple-touch-icon.png', 2, 2)).toBe(colour);
    expect(readFileSync(projectPath('client', 'public', 'icons', 'icon.svg'), 'utf8')).toContain(
      `<rect width="512" height="512" rx="96" fill="${colour}"/>`,
    );
  });
});
