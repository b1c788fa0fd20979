import { describe, expect, it } from 'vitest';
import { chronological } from './orderTypes.ts';

const event = (id: string, at: string) => ({
  id,
  at,
  kind: 'status',
  fromStatus: null,
  toStatus: null,
  message: null,
  actorType: 'system',
});

describe('order timeline', () => {
  it('lists events oldest first, ids compared as numbers within the same instant', () => {
    const placed = '2026-12-06T22:23:01.440Z';
    // As the server sends them: ids sorted as text.
    const sent = [
      event('100', '2026-12-06T22:32:34.000Z'),
      event('101', '2026-12-06T22:32:38.000Z'),
      event('98', placed),
      event('99', placed),
    ];
    expect(chronological(sent).map((e) => e.id)).toEqual(['98', '99', '100', '101']);
    expect(sent.map((e) => e.id)).toEqual(['100', '101', '98', '99']);
  });
});
