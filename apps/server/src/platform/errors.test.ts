import Fastify from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from './errors.ts';
import { listQuery, MoneyDto } from './schemas.ts';

// The same Ajv options as the app (app.ts): every error reported, unknown fields refused.
const app = Fastify({
  ajv: {
    customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
  },
}).withTypeProvider<TypeBoxTypeProvider>();

beforeAll(async () => {
  registerErrorHandling(app);
  app.addSchema(MoneyDto);
  app.get(
    '/list',
    { schema: { querystring: listQuery({}, ['createdAt', 'total', 'number']) } },
    async () => ({}),
  );
  app.post(
    '/price',
    {
      schema: {
        body: Type.Object(
          {
            compareAt: Type.Union([
              Type.Object({ amount: Type.Integer({ minimum: 0 }), currency: Type.String() }),
              Type.Null(),
            ]),
            status: Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Null()]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async () => ({}),
  );
  await app.ready();
});
afterAll(() => app.close());

describe('validation errors', () => {
  it('name a union of constants once, with the values allowed', async () => {
    const response = await app.inject('/list?sort=bogus&order=up');
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'querystring/sort', message: 'must be one of: "createdAt", "total", "number"' },
      { path: 'querystring/order', message: 'must be one of: "ASC", "DESC"' },
    ]);
  });

  it('report what is wrong with a nullable value, not that it is not null', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/price',
      payload: { compareAt: { amount: -1, currency: 'USD' }, status: 'gone' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'body/compareAt/amount', message: 'must be >= 0' },
      { path: 'body/status', message: 'must be one of: "draft", "active", null' },
    ]);
  });

  it('accept the values allowed', async () => {
    expect((await app.inject('/list?sort=total&order=ASC')).statusCode).toBe(200);
    const ok = await app.inject({
      method: 'POST',
      url: '/price',
      payload: { compareAt: null, status: null },
    });
    expect(ok.statusCode).toBe(200);
  });
});
