import { describe, expect, it } from 'vitest';
import { describeLocation, formatBytes, pollInterval } from './types.ts';

describe('backup list helpers', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(null)).toBe('');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MB');
  });

  it('says where a file is kept', () => {
    expect(describeLocation('s3://shop-backups/mcart/x.mcart.gz')).toEqual({
      kind: 's3',
      place: 'shop-backups',
    });
    expect(describeLocation('/var/lib/mcart/backups/x.mcart.gz')).toEqual({
      kind: 'folder',
      place: '/var/lib/mcart/backups',
    });
    expect(describeLocation(null)).toBeNull();
  });

  it('polls only while a backup runs', () => {
    expect(pollInterval([{ status: 'succeeded' }, { status: 'running' }])).toBeGreaterThan(0);
    expect(pollInterval([{ status: 'succeeded' }, { status: 'failed' }])).toBe(false);
    expect(pollInterval(undefined)).toBe(false);
  });
});
