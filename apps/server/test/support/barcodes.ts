import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The barcodes zbarimg reads in a PNG. Needs zbar-tools (.ci/run installs it). */
export function decodeBarcodes(png: string): string[] {
  const out = execFileSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

/**
 * A PDF as a warehouse scanner sees it: written to a temp file, each page rendered at 203 dpi by pdftoppm
 * (poppler-utils), and the barcodes on each page in page order.
 */
export function scanPdf(pdf: Buffer): { file: string; pages: string[][] } {
  const dir = mkdtempSync(join(tmpdir(), 'mcart-labels-'));
  const file = join(dir, 'labels.pdf');
  writeFileSync(file, pdf);
  execFileSync('pdftoppm', ['-r', '203', '-png', file, join(dir, 'page')]);
  const pages = readdirSync(dir)
    .filter((name) => name.endsWith('.png'))
    .sort()
    .map((page) => decodeBarcodes(join(dir, page)));
  return { file, pages };
}
