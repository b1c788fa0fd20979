// Rasterises the MCart icon (same drawing as resources/icon.svg) to resources/icon.png, 512x512,
// with nothing but zlib: electron-builder derives the Windows .ico, macOS .icns and Linux sizes
// from this one PNG. Run after changing the drawing: node apps/desktop/scripts/generate-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const BACKGROUND = [0x1f, 0x4e, 0x8c];
const FOREGROUND = [0xff, 0xff, 0xff];
const SAMPLES = 4; // 4x4 supersampling for smooth edges

// Cart outline: the SVG's path, as line segments with round caps and joins.
const cart = [
  [112, 152],
  [156, 152],
  [196, 328],
  [364, 328],
  [400, 200],
  [188, 200],
];
const STROKE = 16; // half of stroke-width 32
const wheels = [
  [216, 384, 28],
  [344, 384, 28],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y, radius = 96) {
  const cx = Math.min(Math.max(x, radius), SIZE - radius);
  const cy = Math.min(Math.max(y, radius), SIZE - radius);
  return Math.hypot(x - cx, y - cy) <= radius;
}

function isForeground(x, y) {
  for (let i = 0; i < cart.length - 1; i += 1)
    if (distanceToSegment(x, y, cart[i], cart[i + 1]) <= STROKE) return true;
  return wheels.some(([cx, cy, r]) => Math.hypot(x - cx, y - cy) <= r);
}

const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y += 1) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0; // filter: none
  for (let x = 0; x < SIZE; x += 1) {
    let coverage = 0;
    let ink = 0;
    for (let sy = 0; sy < SAMPLES; sy += 1) {
      for (let sx = 0; sx < SAMPLES; sx += 1) {
        const px = x + (sx + 0.5) / SAMPLES;
        const py = y + (sy + 0.5) / SAMPLES;
        if (!insideRoundedSquare(px, py)) continue;
        coverage += 1;
        if (isForeground(px, py)) ink += 1;
      }
    }
    const alpha = coverage / SAMPLES ** 2;
    const mix = coverage === 0 ? 0 : ink / coverage;
    const offset = row + 1 + x * 4;
    for (let c = 0; c < 3; c += 1)
      raw[offset + c] = Math.round(BACKGROUND[c] * (1 - mix) + FOREGROUND[c] * mix);
    raw[offset + 3] = Math.round(alpha * 255);
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const target = new URL('../../../resources/icon.png', import.meta.url);
writeFileSync(target, png);
console.log(`wrote ${target.pathname} (${png.length} bytes)`);
