import { describe, expect, it } from 'vitest';
import { labelFileName, labelPath, needsPrinterChoice } from './labels.ts';

describe('label files', () => {
  it('asks for one label by its own route, several as one batch file', () => {
    expect(labelPath(['a1'])).toBe('/api/admin/shipments/a1/label?format=pdf');
    expect(labelPath(['a1', 'b2', 'a1'])).toBe('/api/admin/shipments/labels?ids=a1&ids=b2&format=pdf');
    expect(() => labelPath([])).toThrow();
  });

  it('names the download after what it holds', () => {
    expect(labelFileName(['a1'])).toBe('label-a1.pdf');
    expect(labelFileName(['a1', 'b2'])).toBe('labels-2.pdf');
  });

  it('asks for a printer only when none is chosen or the chosen one is gone', () => {
    expect(needsPrinterChoice('no-printer-chosen')).toBe(true);
    expect(needsPrinterChoice('printer-missing')).toBe(true);
    expect(needsPrinterChoice('failed')).toBe(false);
    expect(needsPrinterChoice('no-printers')).toBe(false);
  });
});
