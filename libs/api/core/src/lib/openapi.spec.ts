import { completeOpenApi, PUBLIC_EXTENSION } from './openapi';

type Op = { security?: unknown; responses: Record<string, unknown>; [k: string]: unknown };
type Doc = { info: Record<string, unknown>; servers?: { url: string }[]; paths: Record<string, Record<string, Op>> };
const doc = (): Doc => ({
  info: { title: 't', version: 'v1' },
  paths: {
    '/api/v1/things/{id}': {
      get: { parameters: [{ in: 'path' }], responses: { '200': { description: 'ok' } }, security: [{ bearer: [] }] },
      patch: { requestBody: {}, responses: { '200': { description: 'ok' }, '409': { description: 'taken' } } },
    },
    '/api/v1/open': {
      post: { [PUBLIC_EXTENSION]: true, responses: { '204': { description: 'done' } } },
    },
  },
});

describe('completeOpenApi', () => {
  it('says for every operation how it is secured: none for @Public(), bearer for the rest', () => {
    const d = completeOpenApi(doc());
    expect(d.paths['/api/v1/open']['post'].security).toEqual([]);
    expect(d.paths['/api/v1/open']['post']).not.toHaveProperty(PUBLIC_EXTENSION);
    // A guarded operation that forgot @ApiBearerAuth is documented as bearer, never as open.
    expect(d.paths['/api/v1/things/{id}']['patch'].security).toEqual([{ bearer: [] }]);
  });

  it('adds the error answers an operation can give, keeping the ones it declared', () => {
    const d = completeOpenApi(doc());
    const codes = (r: object) => Object.keys(r).sort();
    // A GET with a path parameter, guarded: 400 (the parameter), 401, 403, 404.
    expect(codes(d.paths['/api/v1/things/{id}']['get'].responses)).toEqual(['200', '400', '401', '403', '404']);
    // A PATCH with a body: also its own 409, untouched.
    expect(d.paths['/api/v1/things/{id}']['patch'].responses).toMatchObject({ '409': { description: 'taken' } });
    // A public POST without parameters: 400 (a body that is not JSON), no 401/403.
    expect(codes(d.paths['/api/v1/open']['post'].responses)).toEqual(['204', '400']);
    expect(d.paths['/api/v1/open']['post'].responses['400']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorDto' } } },
    });
  });

  it('names a server and a license when the document has none', () => {
    const d = completeOpenApi(doc()) as ReturnType<typeof doc> & {
      servers: { url: string }[];
      info: { license?: unknown };
    };
    expect(d.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(d.info.license).toEqual(expect.objectContaining({ name: 'Proprietary' }));
  });
});
