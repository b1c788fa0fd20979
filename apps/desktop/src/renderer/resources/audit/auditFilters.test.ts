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
});
