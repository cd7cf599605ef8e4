// Draws the app icon once as SVG and renders the PNGs the web app manifest and iOS need
// (192 and 512 "any", 512 "maskable" with the logo inside the 80 % safe zone, 180 apple-touch-icon).
// Run with `node scripts/icons.js`; the PNGs are committed, so builds do not depend on sharp's native binary.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const outDir = fileURLToPath(new URL('../client/public/icons/', import.meta.url));
const blue = '#0a58a8';

/** A door with a knob under a roof: "Portier" is the one who keeps the door. `scale` shrinks the mark. */
function svg({ rounded, scale }) {
  const inset = (512 * (1 - scale)) / 2;
  const mark = `
    <g transform="translate(${inset} ${inset}) scale(${scale})">
      <path d="M96 236 L256 100 L416 236" fill="none" stroke="#fff" stroke-width="36" stroke-linecap="round" stroke-linejoin="round"/>
      <rect x="176" y="220" width="160" height="210" rx="14" fill="#fff"/>
      <circle cx="304" cy="330" r="14" fill="${blue}"/>
    </g>`;
  const radius = rounded ? 96 : 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">
    <rect width="512" height="512" rx="${radius}" fill="${blue}"/>${mark}
  </svg>`;
}

const targets = [
  { file: 'icon-192.png', size: 192, rounded: true, scale: 1 },
  { file: 'icon-512.png', size: 512, rounded: true, scale: 1 },
  // Maskable: full-bleed background, mark within the central 80 % (W3C Manifest "safe zone").
  { file: 'maskable-512.png', size: 512, rounded: false, scale: 0.72 },
  // iOS rounds the corners itself and shows transparency as black.
  { file: 'apple-touch-icon.png', size: 180, rounded: false, scale: 0.9 },
];

mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}icon.svg`, svg({ rounded: true, scale: 1 }));
for (const { file, size, rounded, scale } of targets) {
  await sharp(Buffer.from(svg({ rounded, scale })))
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(`${outDir}${file}`);
}
console.log(`icons written to ${outDir}`);
