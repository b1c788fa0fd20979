import { describe, expect, it } from 'vitest';
import { problemToHttpError, toFieldName } from './problem.ts';

describe('toFieldName', () => {
  it('turns JSON pointers and Fastify body paths into form field names', () => {
    expect(toFieldName('/variants/0/sku')).toBe('variants.0.sku');
    expect(toFieldName('body/title')).toBe('title');
    expect(toFieldName('/body/price/amount')).toBe('price.amount');
    expect(toFieldName('email')).toBe('email');
  });
});

describe('problemToHttpError', () => {
  it('shows the detail when there is one, else the title', () => {
    const withDetail = problemToHttpError(409, 'Conflict', {
      status: 409,
      title: 'Conflict',
      code: 'MCART_ERR_DUPLICATE_SKU',
      detail: 'SKU TSHIRT-M already exists',
    });
    expect(withDetail.message).toBe('SKU TSHIRT-M already exists');
    expect(withDetail.status).toBe(409);
    expect(withDetail.body).toMatchObject({ code: 'MCART_ERR_DUPLICATE_SKU' });
    expect(
      problemToHttpError(403, 'Forbidden', { status: 403, title: 'Forbidden', code: 'MCART_ERR_FORBIDDEN' })
        .message,
    ).toBe('Forbidden');
  });

  it('keys validation errors by field so react-admin forms show them under the inputs', () => {
    const error = problemToHttpError(400, 'Bad Request', {
      status: 400,
      title: 'Validation failed',
      code: 'MCART_ERR_VALIDATION',
      errors: [
        { path: '/title', message: 'must not be empty' },
        { path: '/variants/0/price/amount', message: 'must be an integer' },
        { path: '/title', message: 'must be a string' },
      ],
    });
    expect(error.body.errors).toEqual({
      title: 'must not be empty',
      'variants.0.price.amount': 'must be an integer',
      root: { serverError: 'Validation failed' },
    });
    expect(error.message).toBe('Validation failed');
  });

  it('names a refused list parameter in the message, as no input shows it', () => {
    expect(
      problemToHttpError(400, 'Bad Request', {
        status: 400,
        title: 'The request is not valid',
        code: 'MCART_ERR_VALIDATION',
        errors: [{ path: 'querystring/perPage', message: 'must be <= 500' }],
      }).message,
    ).toBe('The request is not valid (perPage: must be <= 500)');
  });

  it('falls back to the status text for answers that are not problem documents', () => {
    const error = problemToHttpError(502, 'Bad Gateway', '<html>proxy error</html>');
    expect(error.message).toBe('Bad Gateway');
    expect(error.status).toBe(502);
  });
});
