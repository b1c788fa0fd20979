import { describe, expect, it } from 'vitest';
import { containing } from './like.ts';

describe('containing', () => {
  it('escapes the pattern characters of LIKE, the escape character first', () => {
    expect(containing('wool')).toBe('%wool%');
    expect(containing('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});
