/**
 * The landlord's brand colour, made readable in both colour schemes. The admin console stores only
 * colours with ≥ 4.5:1 against white, but the colour also stands on the page background, on its own
 * tint (active navigation item, info notes) and, in the dark scheme, on dark surfaces with dark text
 * on it. Each variant keeps the brand's hue and saturation and moves only its lightness, darker for
 * the light scheme and lighter for the dark one, until every pair reaches 4.5:1 (WCAG 2.2 SC 1.4.3).
 *
 * The backgrounds and tint shares mirror the tokens in client/lib/styles/global.css.
 */

type Rgb = [number, number, number];

const LIGHT = { bg: '#f4f6f8', surface: '#ffffff', onPrimary: '#ffffff', tint: 0.08 };
const DARK = { bg: '#0f1419', surface: '#1a2129', onPrimary: '#0b1218', tint: 0.12 };
/** SC 1.4.3 for text; links and button labels are ordinary-size text. */
const MIN_CONTRAST = 4.5;
const DARK_START_LIGHTNESS = 0.65;

export interface BrandPalette {
  /** The primary colour for the light scheme (`--brand-primary`). */
  light: string;
  /** The primary colour for the dark scheme (`--brand-primary-dark`). */
  dark: string;
}

function parseHex(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2.2 relative luminance of an sRGB colour. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [high, low] = [luminance(parseHex(a)), luminance(parseHex(b))].sort((x, y) => y - x) as [
    number,
    number,
  ];
  return (high + 0.05) / (low + 0.05);
}

/** `color-mix(in srgb, colour share, base)`, as the tint tokens compute it. */
function mix(colour: string, share: number, base: string): string {
  const a = parseHex(colour);
  const b = parseHex(base);
  return toHex([0, 1, 2].map((i) => a[i]! * share + b[i]! * (1 - share)) as Rgb);
}

function toHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const lightness = (max + min) / 2;
  if (max === min) return [0, 0, lightness];
  const delta = max - min;
  const saturation = lightness > 0.5 ? delta / (2 - max - min) : delta / (max + min);
  const hue =
    max === rn
      ? (gn - bn) / delta + (gn < bn ? 6 : 0)
      : max === gn
        ? (bn - rn) / delta + 2
        : (rn - gn) / delta + 4;
  return [hue / 6, saturation, lightness];
}

function fromHsl(hue: number, saturation: number, lightness: number): string {
  if (saturation === 0) return toHex([lightness * 255, lightness * 255, lightness * 255]);
  const q = lightness < 0.5 ? lightness * (1 + saturation) : lightness + saturation - lightness * saturation;
  const p = 2 * lightness - q;
  const channel = (t: number) => {
    const tt = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (tt < 1 / 6) return p + (q - p) * 6 * tt;
    if (tt < 1 / 2) return q;
    if (tt < 2 / 3) return p + (q - p) * (2 / 3 - tt) * 6;
    return p;
  };
  return toHex([channel(hue + 1 / 3) * 255, channel(hue) * 255, channel(hue - 1 / 3) * 255]);
}

function readableIn(scheme: typeof LIGHT, candidate: string): boolean {
  const backgrounds = [scheme.bg, scheme.surface, mix(candidate, scheme.tint, scheme.surface)];
  return (
    backgrounds.every((background) => contrast(candidate, background) >= MIN_CONTRAST) &&
    contrast(candidate, scheme.onPrimary) >= MIN_CONTRAST
  );
}

/**
 * The brand colour's lightness moved in 1 % steps until it reads on every background of the
 * scheme. The light variant starts at the brand colour itself, so a readable brand stays as it is;
 * the dark one at 65 % lightness at least, a clear light tone of the same hue (a deep blue becomes
 * a light blue) rather than the palest one that would just pass.
 */
function adjust(hex: string, scheme: typeof LIGHT, direction: 1 | -1): string {
  const [hue, saturation, lightness] = toHsl(parseHex(hex));
  const start = direction === 1 ? Math.max(lightness, DARK_START_LIGHTNESS) : lightness;
  for (let step = 0; step <= 100; step++) {
    const candidate = fromHsl(hue, saturation, Math.min(1, Math.max(0, start + (direction * step) / 100)));
    if (readableIn(scheme, candidate)) return candidate;
  }
  return direction === 1 ? '#ffffff' : '#000000';
}

/** Both variants of a `#rrggbb` brand colour. */
export function brandPalette(hex: string): BrandPalette {
  return { light: adjust(hex, LIGHT, -1), dark: adjust(hex, DARK, 1) };
}
