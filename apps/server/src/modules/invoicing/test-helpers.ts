import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommittedEvent } from '../../platform/outbox.ts';

/** The text of a PDF, as poppler's pdftotext reads it (layout kept: a row's cells on one line). */
export function pdfToText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcart-invoice-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'doc.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An order's `paid` event as the outbox delivers it, to hand to the issuing consumer by hand. */
export const paidEvent = (orderId: string): CommittedEvent => ({
  id: 0,
  resource: 'orders',
  ids: [orderId],
  type: 'updated',
  payload: { event: 'paid' },
  at: new Date(),
  position: '0:0',
});
