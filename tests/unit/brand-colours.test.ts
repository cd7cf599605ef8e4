import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brandPalette, contrast } from '../../client/lib/brand-colours.ts';

const light = { bg: '#f4f6f8', surface: '#ffffff', onPrimary: '#ffffff' };
const dark = { bg: '#0f1419', surface: '#1a2129', onPrimary: '#0b1218' };
const hexColour = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);

describe('brand colour in both colour schemes', () => {
  it('keeps a brand that already reads well in the light scheme', () => {
    expect(brandPalette('#0a58a8').light).toBe('#0a58a8');
  });

  it('lightens a deep brand for the dark scheme and keeps its hue', () => {
    const { dark: variant } = brandPalette('#0a58a8');
    const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(variant.slice(i, i + 2), 16));
    expect(b).toBeGreaterThan(g!);
    expect(g).toBeGreaterThan(r!);
    expect(contrast(variant, dark.surface)).toBeGreaterThanOrEqual(4.5);
  });

  it('the built-in brand in global.css is the palette of its own colour', () => {
    const css = readFileSync('client/lib/styles/global.css', 'utf8');
    const token = (name: string) => new RegExp(`${name}: (#[0-9a-f]{6});`).exec(css)?.[1];
    const palette = brandPalette(token('--brand-primary') ?? '');
    expect(token('--brand-primary-dark')).toBe(palette.dark);
  });

  it('any colour the admin may store reads at 4.5:1 on every background of both schemes', () => {
    fc.assert(
      fc.property(
        hexColour.filter((hex) => contrast(hex, '#ffffff') >= 4.5),
        (hex) => {
          const palette = brandPalette(hex);
          for (const background of [light.bg, light.surface, light.onPrimary])
            expect(contrast(palette.light, background)).toBeGreaterThanOrEqual(4.5);
          for (const background of [dark.bg, dark.surface, dark.onPrimary])
            expect(contrast(palette.dark, background)).toBeGreaterThanOrEqual(4.5);
        },
      ),
    );
  });
});
