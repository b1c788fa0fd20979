import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Test data through the product's own routes: a product with variants, stock, a customer session. */
export function commerceFixtures(app: FastifyInstance, staffAuth: string) {
  let counter = 0;
  return {
    async product(prices: number[], stock: number | null = 100) {
      counter++;
      const tag = `${Date.now().toString(36)}${counter}${randomUUID().slice(0, 4)}`;
      const response = await app.inject({
        method: 'POST',
        url: '/api/admin/products',
        headers: { authorization: staffAuth },
        payload: {
          title: `Product ${tag}`,
          status: 'active',
          variants: prices.map((amount, i) => ({
            sku: `SKU-${tag}-${i}`,
            title: `V${i}`,
            price: { amount, currency: 'USD' },
          })),
        },
      });
      if (response.statusCode !== 201) throw new Error(`product: ${response.statusCode} ${response.body}`);
      const product = response.json<{
        id: string;
        variants: { id: string; sku: string; version: number }[];
      }>();
      if (stock !== null) {
        for (const variant of product.variants) await this.stock(variant.id, stock);
      }
      return product;
    },
    /** The ids of `n` new catalog variants with no stock yet (stock is written for the catalog's variants only). */
    async unstockedVariants(n: number): Promise<string[]> {
      const product = await this.product(
        Array.from({ length: n }, () => 1000),
        null,
      );
      return product.variants.map((variant) => variant.id);
    },
    async stock(variantId: string, delta: number) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/admin/inventory/adjustments',
        headers: { authorization: staffAuth },
        payload: { variantId, delta, reason: 'test stock' },
      });
      if (response.statusCode !== 201) throw new Error(`stock: ${response.statusCode} ${response.body}`);
    },
    async setPrice(productId: string, variantId: string, amount: number) {
      const current = await app.inject({
        method: 'GET',
        url: `/api/admin/products/${productId}`,
        headers: { authorization: staffAuth },
      });
      const variant = current
        .json<{ variants: { id: string; version: number }[] }>()
        .variants.find((v) => v.id === variantId)!;
      const response = await app.inject({
        method: 'PATCH',
        url: `/api/admin/products/${productId}/variants/${variantId}`,
        headers: { authorization: staffAuth },
        payload: { version: variant.version, price: { amount, currency: 'USD' } },
      });
      if (response.statusCode !== 200) throw new Error(`price: ${response.statusCode} ${response.body}`);
    },
    /** A signed-in customer, registered through the store's own registration route. */
    async customer() {
      const email = `shopper-${Date.now().toString(36)}${++counter}${randomUUID().slice(0, 4)}@example.test`;
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/auth/register',
        payload: { email, password: 'a long shopper passphrase', firstName: 'Test', lastName: 'Shopper' },
      });
      if (response.statusCode !== 201) throw new Error(`register: ${response.statusCode} ${response.body}`);
      const body = response.json<{ accessToken: string; customer: { id: string } }>();
      return { id: body.customer.id, auth: `Bearer ${body.accessToken}` };
    },
    async cart(auth?: string) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/store/carts',
        ...(auth ? { headers: { authorization: auth } } : {}),
      });
      if (response.statusCode !== 201) throw new Error(`cart: ${response.statusCode} ${response.body}`);
      return response.json<{ id: string }>().id;
    },
    async add(cartId: string, variantId: string, quantity: number, auth?: string) {
      return app.inject({
        method: 'POST',
        url: `/api/store/carts/${cartId}/items`,
        payload: { variantId, quantity },
        ...(auth ? { headers: { authorization: auth } } : {}),
      });
    },
  };
}
