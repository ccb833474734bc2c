// Cold PNG rendering: microseconds per 1024x1024 picture when every request has a new prompt (the
// mock's cold b64_json path: nothing memoised, every picture drawn and encoded afresh).
//   npx tsx scripts/bench/render.ts
//
// Baseline: node:zlib deflating the same pictures' filtered scanlines (deflateSync, level 1, Z_RLE,
// the strategy whose stream the direct encoder writes), measured in the same process on the same
// pictures. It is what encoding those bytes costs without knowing that rows repeat, so the ratio
// says how much of a general-purpose encoder's work the span-based encoder still does, on any CPU.
import { constants as zc, deflateSync, inflateSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { renderPng } from '../../src/images/render.js';

const SIZE = 1024;
const PICTURES = 4000; // distinct prompts per timed pass
const PASSES = 5;

/** The mock's cold path: one seed and index 0, so one geometry (bricks); the prompt, hence the palette and signature, new each time. */
const request = (i: number, pass: number, index = 0) => ({
  width: SIZE,
  height: SIZE,
  seed: 'bench',
  prompt: `a lighthouse at dusk #${pass}-${i}`,
  index,
});

/** The zlib data of a PNG's IDAT chunks (the stream renderPng wrote). */
function idat(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let p = 8; p < png.length; ) {
    const len = png.readUInt32BE(p);
    if (png.toString('latin1', p + 4, p + 8) === 'IDAT') parts.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  return Buffer.concat(parts);
}

/** Median over passes of microseconds per call of `op(i, pass)` for i < n. */
function microsPerOp(n: number, op: (i: number, pass: number) => unknown): number {
  const perOp: number[] = [];
  for (let pass = 0; pass <= PASSES; pass++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) op(i, pass);
    const us = Number(process.hrtime.bigint() - t) / 1000 / n;
    if (pass > 0) perOp.push(us); // pass 0 warms up
  }
  perOp.sort((a, b) => a - b);
  return perOp[perOp.length >> 1]!;
}

export function benchRender(): { renderUs: number; allKindsUs: number; zlibUs: number } {
  const renderUs = microsPerOp(PICTURES, (i, pass) => renderPng(request(i, pass)));
  // Indices 0-15 give all four pattern kinds (hbands, vbands, bricks, frames) with this seed.
  const allKindsUs = microsPerOp(PICTURES, (i, pass) => renderPng(request(i, pass, i % 16)));
  // The baseline's inputs: the scanlines of a sample of the same pictures, decoded outside the timing.
  const scanlines = Array.from({ length: 32 }, (_, i) => inflateSync(idat(renderPng(request(i, 0)))));
  const zlibUs = microsPerOp(64, (i) => deflateSync(scanlines[i % scanlines.length]!, { level: 1, strategy: zc.Z_RLE }));
  return { renderUs, allKindsUs, zlibUs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { renderUs, allKindsUs, zlibUs } = benchRender();
  console.log(`cold renderPng ${SIZE}x${SIZE} RGB, distinct prompts, median of ${PASSES} passes of ${PICTURES}, node ${process.version}`);
  console.table([
    { measure: `renderPng ${SIZE}x${SIZE} (cold, index 0)`, 'us/op': renderUs.toFixed(1), 'x baseline': (renderUs / zlibUs).toFixed(3) },
    { measure: `renderPng ${SIZE}x${SIZE} (cold, indices 0-15)`, 'us/op': allKindsUs.toFixed(1), 'x baseline': (allKindsUs / zlibUs).toFixed(3) },
    { measure: 'baseline: zlib deflateSync of the same scanlines (level 1, Z_RLE)', 'us/op': zlibUs.toFixed(1), 'x baseline': '1.000' },
  ]);
}
