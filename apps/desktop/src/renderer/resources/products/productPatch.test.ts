import { describe, expect, it } from 'vitest';
import { productPatch } from './ProductEdit.tsx';

describe('productPatch', () => {
  it('sends only the product fields', () => {
    expect(productPatch({ id: 'p1', title: 'Mug', variants: [], version: 3, status: 'active' })).toEqual({
      title: 'Mug',
      status: 'active',
    });
  });

  it('sends an emptied description as "" (the server does not read null as a string)', () => {
    expect(productPatch({ description: null })).toEqual({ description: '' });
    expect(productPatch({ description: 'Blue' })).toEqual({ description: 'Blue' });
  });
});
