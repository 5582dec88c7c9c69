import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { toApiError } from './api-error.filter';

describe('toApiError', () => {
  it('keeps the status, message and details of HTTP exceptions', () => {
    expect(toApiError(new NotFoundException('Organisation not found'))).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Organisation not found',
    });
    const details = [{ field: 'email', message: 'email must be an email' }];
    expect(toApiError(new BadRequestException({ message: 'x', details }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'x',
      details,
    });
    expect(toApiError(new ForbiddenException()).statusCode).toBe(403);
  });

  it('answers Fastify parse errors with a 4xx that names the problem', () => {
    expect(toApiError({ statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: 'Unexpected token' })).toEqual(
      {
        statusCode: 400,
        error: 'Bad Request',
        message: 'The body is not valid JSON',
      },
    );
    expect(toApiError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }).message).toBe('The body is too large');
  });

  it('answers 503 when the database is away and 500 without internals otherwise', () => {
    expect(toApiError(new Error('connect ECONNREFUSED 127.0.0.1:5432')).statusCode).toBe(503);
    const internal = toApiError(new Error('relation "secret_table" does not exist'));
    expect(internal).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Something went wrong on our side',
    });
  });
});
