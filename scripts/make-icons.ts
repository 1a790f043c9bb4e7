/**
 * Draws the Teams app icons for Privacy Desk and writes them as PNGs:
 *
 *   appPackage/color.png    192x192, white shield with a keyhole on the accent colour
 *   appPackage/outline.png   32x32, white shield (keyhole cut out) on a transparent background
 *
 * No image libraries: shapes are rasterised with 4x4 supersampling and the
 * PNG bytes are written with node:zlib (deflate + crc32). Output is
 * deterministic, so re-running the script on an unchanged file is a no-op.
 *
 *   node --import tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** Must equal `accentColor` in appPackage/manifest.json. */
export const ACCENT = '#2B4C9B';

type Rgb = readonly [number, number, number];

export interface RgbaImage {
  width: number;
  height: number;
  /** RGBA, 8 bits per channel, row-major. */
  pixels: Uint8Array;
}

// ---------------------------------------------------------------- PNG writer

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([len, typeAndData, crc]);
}

/** Encodes an 8-bit RGBA image (colour type 6, no interlace, filter 0 on every row). */
export function encodePng(img: RgbaImage): Buffer {
  const { width, height, pixels } = img;
  if (pixels.length !== width * height * 4) throw new Error('pixel buffer size mismatch');
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter type None
    Buffer.from(pixels.buffer, pixels.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// ---------------------------------------------------------------- drawing

/**
 * Shield silhouette in a unit box (u, v in [0, 1], v down): a flat top with a
 * shallow dip in the middle, straight sides to v = 0.5, then sides curving in
 * to a point at the bottom centre.
 */
function insideShield(u: number, v: number): boolean {
  const dx = Math.abs(u - 0.5);
  const top = 0.06 * (1 - 2 * dx); // top edge dips by 6% at the centre
  if (v < top || v > 1) return false;
  const shoulder = 0.5;
  let halfWidth = 0.5;
  if (v > shoulder) {
    const t = (v - shoulder) / (1 - shoulder); // 0 at shoulder, 1 at tip
    halfWidth = 0.5 * Math.pow(Math.cos((t * Math.PI) / 2), 0.75);
  }
  return dx <= halfWidth;
}

/** Keyhole in the same unit box: a round head and a tapering slot below it. */
function insideKeyhole(u: number, v: number): boolean {
  const cx = 0.5;
  const cy = 0.4;
  const r = 0.13;
  if ((u - cx) ** 2 + (v - cy) ** 2 <= r * r) return true;
  const slotTop = cy;
  const slotBottom = 0.72;
  if (v < slotTop || v > slotBottom) return false;
  const t = (v - slotTop) / (slotBottom - slotTop);
  const halfWidth = 0.055 + 0.04 * t; // widens slightly towards the bottom
  return Math.abs(u - cx) <= halfWidth;
}

/** Glyph coverage: 1 inside the shield but outside the keyhole. */
function glyph(u: number, v: number): boolean {
  return insideShield(u, v) && !insideKeyhole(u, v);
}

/**
 * Fraction (0..1) of pixel (x, y) covered by the glyph placed in the box
 * [bx, bx + bw] x [by, by + bh], estimated with SS x SS samples.
 */
function coverage(x: number, y: number, bx: number, by: number, bw: number, bh: number): number {
  const SS = 4;
  let hits = 0;
  for (let sy = 0; sy < SS; sy++) {
    for (let sx = 0; sx < SS; sx++) {
      const px = x + (sx + 0.5) / SS;
      const py = y + (sy + 0.5) / SS;
      if (glyph((px - bx) / bw, (py - by) / bh)) hits++;
    }
  }
  return hits / (SS * SS);
}

function hexToRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** 192x192, opaque: accent background, white shield (~96 px tall) with an accent keyhole. */
export function drawColorIcon(): RgbaImage {
  const size = 192;
  const bg = hexToRgb(ACCENT);
  const bw = 84;
  const bh = 100;
  const bx = (size - bw) / 2;
  const by = (size - bh) / 2;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, bx, by, bw, bh);
      const i = (y * size + x) * 4;
      for (let k = 0; k < 3; k++) pixels[i + k] = Math.round(bg[k]! + (255 - bg[k]!) * c);
      pixels[i + 3] = 255;
    }
  }
  return { width: size, height: size, pixels };
}

/**
 * 32x32: pure white glyph, alpha = coverage, everything else fully transparent.
 * Teams wants the outline icon white-on-transparent with little padding.
 */
export function drawOutlineIcon(): RgbaImage {
  const size = 32;
  const bw = 24;
  const bh = 28;
  const bx = (size - bw) / 2;
  const by = (size - bh) / 2;
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      pixels[i] = 255;
      pixels[i + 1] = 255;
      pixels[i + 2] = 255;
      pixels[i + 3] = Math.round(255 * coverage(x, y, bx, by, bw, bh));
    }
  }
  return { width: size, height: size, pixels };
}

function main(): void {
  const outDir = join(__dirname, '..', 'appPackage');
  const color = join(outDir, 'color.png');
  const outline = join(outDir, 'outline.png');
  writeFileSync(color, encodePng(drawColorIcon()));
  writeFileSync(outline, encodePng(drawOutlineIcon()));
  console.log(`wrote ${color}\nwrote ${outline}`);
}

if (require.main === module) main();
