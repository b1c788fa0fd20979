import { describe, expect, it } from 'vitest';
import { staffToken, useTestApp } from './app.ts';
import { orderFixtures } from './support/orders.ts';
import { recordStatements } from './support/statements.ts';

/**
 * The to-pack queue on a database of its own: which orders are in it depends on every order in the store.
 */
const { app, config } = await useTestApp();
const owner = await staffToken(app);
const fixtures = orderFixtures(app, config, owner);
const post = (url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, headers: { authorization: owner }, payload: payload as object });
const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: owner } });

describe('to-pack queue', () => {
  it('still lists an order with units left behind more orders whose every unit has a label', async () => {
    const product = await fixtures.product([{ weightGrams: 250 }]);
    const variantId = product.variants[0]!.id;
    // Labelled and waiting for the carrier: processing, nothing left to pack (with the built-in provider and
    // no tracking import, orders stay so).
    for (let i = 0; i < 3; i++) {
      const labelled = await fixtures.order([{ variantId, quantity: 1 }]);
      expect((await post(`/api/admin/orders/${labelled.id}/shipments`, {})).statusCode).toBe(201);
    }
    const partial = await fixtures.order([{ variantId, quantity: 2 }]);
    const [line] = (await get(`/api/admin/orders/${partial.id}`)).json<{ lines: { id: string }[] }>().lines;
    const first = await post(`/api/admin/orders/${partial.id}/shipments`, {
      lines: [{ orderLineId: line!.id, quantity: 1 }],
    });
    expect(first.statusCode).toBe(201);
    const waiting = await fixtures.order([{ variantId, quantity: 3 }]);

    const response = await get('/api/admin/shipping/to-pack?limit=2');
    expect(response.statusCode, response.body).toBe(200);
    const queue = response.json<{
      data: { orderId: string; status: string; lines: { remaining: number; ordered: number }[] }[];
      total: number;
    }>();
    expect(queue.total).toBe(2);
    expect(queue.data.map((entry) => [entry.orderId, entry.status, entry.lines])).toEqual([
      [partial.id, 'processing', [expect.objectContaining({ ordered: 2, remaining: 1 })]],
      [waiting.id, 'paid', [expect.objectContaining({ ordered: 3, remaining: 3 })]],
    ]);
    expect(
      (await get('/api/admin/shipping/to-pack?limit=1')).json<{ data: { orderId: string }[] }>().data,
    ).toEqual([expect.objectContaining({ orderId: partial.id })]);
  });

  it('reads a page of orders in the same number of statements however many orders it holds', async () => {
    const product = await fixtures.product([{ weightGrams: 250 }, { weightGrams: 100 }]);
    const [a, b] = product.variants.map((variant) => variant.id);
    const place = () =>
      fixtures.order([
        { variantId: a!, quantity: 1 },
        { variantId: b!, quantity: 2 },
      ]);
    const queue = async () => {
      await get('/api/admin/shipping/to-pack'); // warm: the same work before each count
      const { result, statements } = await recordStatements(() => get('/api/admin/shipping/to-pack'));
      expect(result.statusCode, result.body).toBe(200);
      return { total: result.json<{ total: number }>().total, statements };
    };
    await place();
    const few = await queue();
    for (let i = 0; i < 6; i++) await place();
    const many = await queue();
    expect(many.total).toBe(few.total + 6);
    // Each order's lines and shipped units are read with the page's others, not one order at a time.
    const listing = many.statements.map((sql, i) => `${i + 1}. ${sql.slice(0, 140)}`).join('\n');
    expect(many.statements.length, listing).toBe(few.statements.length);
    // The route answers `total: data.length`: no page of orders is counted (it was, once per page read).
    expect(
      many.statements.filter((sql) => /count\(\*\)/i.test(sql)),
      listing,
    ).toEqual([]);
  });
});
