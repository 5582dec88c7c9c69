/**
 * The OpenAPI document is a contract partners generate clients from (docs/api.md). Nest's
 * generator leaves parts out that Redocly's recommended rules (and client generators) want; this
 * completes the document the same way for every operation, so no controller can forget:
 * - a security statement: `security: []` for `@Public()` routes, bearer for all others;
 * - the error answers every operation can give, in the one error shape (`ApiErrorDto`);
 * - servers and a license.
 * The lint runs in the API tests (openapi-lint.spec.ts).
 */
import { ApiExtension, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const PUBLIC_EXTENSION = 'x-km-public';

/** Marks an operation as open without a token in the document (used by `@Public()`). */
export const ApiPublic = () => ApiExtension(PUBLIC_EXTENSION, true);

export class ApiErrorDetailDto {
  @ApiProperty({ description: 'The field, query parameter, row/column or item the problem is about', example: 'email' })
  field!: string;
  @ApiProperty({
    description: 'What is wrong, in English (show your own text by field or code)',
    example: 'must be an e-mail address',
  })
  message!: string;
}

export class ApiErrorDto {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'Validation failed' }) message!: string;
  @ApiPropertyOptional({ description: 'A stable name for the refusal, for user interfaces', example: 'name_in_use' })
  code?: string;
  @ApiPropertyOptional({ type: [ApiErrorDetailDto] }) details?: ApiErrorDetailDto[];
}

interface Operation {
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: Record<string, string[]>[];
  [key: string]: unknown;
}
interface Document {
  info: Record<string, unknown>;
  servers?: { url: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const ERROR_TEXT: Record<string, string> = {
  '400': 'The input is malformed or breaks a rule; `details` names each problem',
  '401': 'No valid access token (signed out, expired, or the account was changed)',
  '403': 'Your role may not do this',
  '404': "No such record in your organisation (another organisation's ids get the same answer)",
};

/** Completes `doc` in place (see the top of this file) and returns it. */
export function completeOpenApi<T extends object>(doc: T, errorSchemaRef = '#/components/schemas/ApiErrorDto'): T {
  const d = doc as unknown as Document;
  d.servers = d.servers?.length ? d.servers : [{ url: '/', description: 'This installation (paths start with /api)' }];
  d.info['license'] ??= { name: 'Proprietary', url: 'https://klantmonitor.nl/voorwaarden' };
  const error = (status: string) => ({
    description: ERROR_TEXT[status],
    content: { 'application/json': { schema: { $ref: errorSchemaRef } } },
  });
  for (const [path, item] of Object.entries(d.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const isPublic = op[PUBLIC_EXTENSION] === true;
      delete op[PUBLIC_EXTENSION];
      if (isPublic) op.security = [];
      else if (!op.security?.length) op.security = [{ bearer: [] }];
      const responses = (op.responses ??= {});
      const add = (status: string) => {
        if (!responses[status]) responses[status] = error(status);
      };
      // A body that is not valid JSON is refused by the parser on any write, with or without a schema.
      if (op.requestBody || op.parameters?.length || method !== 'get') add('400');
      if (!isPublic) {
        add('401');
        add('403');
      }
      if (path.includes('{')) add('404');
    }
  }
  return doc;
}
