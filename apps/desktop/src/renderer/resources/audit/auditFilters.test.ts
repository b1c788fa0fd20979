import { describe, expect, it } from 'vitest';
import { staffLabel, summarize } from './auditFilters.ts';

describe('audit log filters', () => {
  it('names the staff member, or keeps the id of one it does not know', () => {
    const staff = new Map([['s1', { email: 'ann@shop.test', firstName: 'Ann', lastName: 'Lee' }]]);
    expect(staffLabel('s1', staff)).toBe('Ann Lee <ann@shop.test>');
    expect(staffLabel('s2', staff)).toBe('s2');
    expect(staffLabel(null, staff)).toBe('');
  });

  it('summarizes params and details on one line', () => {
    expect(summarize({ id: 'x' }, { from: 'support', n: 2 }, null)).toBe('id=x, from=support, n=2');
  });

  it('shows the fields a change sent and what it changed from and to', () => {
    expect(
      summarize(
        { id: 'v1' },
        {
          fields: ['price', 'title'],
          sku: 'MUG-1',
          changes: {
            priceAmount: { from: 8900, to: 890 },
            endsAt: { from: null, to: '2030-02-01T00:00:00Z' },
          },
        },
      ),
    ).toBe(
      'id=v1, fields: price title, sku=MUG-1, priceAmount: 8900 → 890, endsAt: null → 2030-02-01T00:00:00Z',
    );
  });
});
