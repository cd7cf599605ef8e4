import { describe, expect, it } from 'vitest';
import { fitWithin, isShrinkable, maxLongEdge, renamed, shrinkPhoto } from '../../client/lib/photos.ts';

describe('client-side photo shrink', () => {
  it('fits the long edge into 2048 px and keeps the aspect ratio', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 2048, height: 1536, scaled: true });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1536, height: 2048, scaled: true });
    expect(fitWithin(30_000, 10)).toEqual({ width: maxLongEdge, height: 1, scaled: true });
  });

  it('never enlarges a small image', () => {
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600, scaled: false });
    expect(fitWithin(2048, 2048).scaled).toBe(false);
  });

  it('tries only images; PDFs and other files pass through', async () => {
    expect(isShrinkable({ type: 'image/jpeg' })).toBe(true);
    expect(isShrinkable({ type: 'image/heic' })).toBe(true);
    expect(isShrinkable({ type: 'application/pdf' })).toBe(false);
    expect(isShrinkable({ type: 'image/svg+xml' })).toBe(false);
    const pdf = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46])], 'plan.pdf', { type: 'application/pdf' });
    expect(await shrinkPhoto(pdf)).toBe(pdf);
  });

  it('uploads the original when the image cannot be decoded here', async () => {
    // Node has no createImageBitmap, like a browser that cannot decode the format (HEIC in Chromium).
    const heic = new File([new Uint8Array(16)], 'IMG_0001.HEIC', { type: 'image/heic' });
    expect(await shrinkPhoto(heic)).toBe(heic);
  });

  it('names the re-encoded file after its new type', () => {
    expect(renamed('IMG_0042.HEIC', 'jpg')).toBe('IMG_0042.jpg');
    expect(renamed('photo', 'jpg')).toBe('photo.jpg');
    expect(renamed('.png', 'jpg')).toBe('photo.jpg');
  });
});
