import { addDays, todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, expectError, makeWorld, World } from '../support/http';

/**
 * The intake form on the client page (#12): POST /clients/:id/intake-answers saves one set of
 * answers of the default instrument per client and day, every answer optional; GET returns the
 * latest set. Typing by an active model is in segmentation.spec.ts.
 */
describe('intake answers through the form', () => {
  let world: World;
  let counselor: string;
  let clientId: string;
  const today = todayInAmsterdam();
  const path = () => `/api/v1/clients/${clientId}/intake-answers`;

  beforeAll(async () => {
    world = await makeWorld();
    counselor = world.tokens.counselor;
    const c = await call('POST', '/api/v1/clients', {
      token: counselor,
      body: {
        clientRef: `INT-${randomUUID().slice(0, 8)}`,
        municipality: 'GM0344',
        firstContact: addDays(today, -3),
      },
    });
    expect(c.status).toBe(201);
    clientId = c.body.id;
  });

  it('saves the answers given, leaves out the ones skipped, and replaces a set of the same day', async () => {
    expect((await call('GET', path(), { token: counselor })).body).toEqual({
      latest: null,
    });
    const first = await call('POST', path(), {
      token: counselor,
      body: {
        answeredOn: addDays(today, -1),
        answers: { privacy_veilig: 4, zelf_regelen: 2, digi_apparaten: null },
      },
    });
    expect(first.status).toBe(201);
    // Two answers given (the null is a statement skipped), no model active: no client type.
    expect(first.body).toEqual({
      answeredOn: addDays(today, -1),
      answered: 2,
      created: true,
      clientType: null,
    });
    const again = await call('POST', path(), {
      token: world.tokens.org_admin,
      body: { answeredOn: addDays(today, -1), answers: { slow_rustig: 5 } },
    });
    expect(again.body).toMatchObject({ answered: 1, created: false });
    expect((await call('GET', path(), { token: counselor })).body).toEqual({
      latest: {
        answeredOn: addDays(today, -1),
        answers: { slow_rustig: 5 },
        source: 'form',
      },
    });
    // Without a date the answers are of today, and today's set is now the latest.
    const todays = await call('POST', path(), {
      token: counselor,
      body: { answers: { kiezen_contact: 1 } },
    });
    expect(todays.body).toMatchObject({ answeredOn: today, created: true });
    expect((await call('GET', path(), { token: counselor })).body.latest.answers).toEqual({ kiezen_contact: 1 });
  });

  it('names the problem in malformed, missing, wrong, oversized and unknown input, and saves nothing then', async () => {
    const field = async (body: unknown, status = 400) =>
      expectError(await call('POST', path(), { token: counselor, body }), status).details?.[0]?.field;
    expect(await field({ answers: { onbekend_item: 3 } })).toBe('answers.onbekend_item');
    expect(await field({ answers: { privacy_veilig: 6 } })).toBe('answers.privacy_veilig');
    expect(await field({ answers: { privacy_veilig: 0 } })).toBe('answers.privacy_veilig');
    expect(await field({ answers: { privacy_veilig: 2.5 } })).toBe('answers.privacy_veilig');
    expect(await field({ answers: { privacy_veilig: '4' } })).toBe('answers.privacy_veilig');
    expect(await field({ answers: {} })).toBe('answers');
    expect(await field({ answers: { privacy_veilig: null } })).toBe('answers');
    expect(await field({ answers: [4, 5] })).toBe('answers');
    expect(await field({})).toBe('answers');
    expect(
      await field({
        answers: { privacy_veilig: 3 },
        answeredOn: addDays(today, 1),
      }),
    ).toBe('answeredOn');
    expect(await field({ answers: { privacy_veilig: 3 }, answeredOn: '2025-02-30' })).toBe('answeredOn');
    expect(await field({ answers: { privacy_veilig: 3 }, answeredOn: 'gisteren' })).toBe('answeredOn');
    expect(await field({ answers: { privacy_veilig: 3 }, bsn: '123' })).toBe('bsn');
    const malformed = await call('POST', path(), {
      token: counselor,
      body: '{"answers": {',
    });
    expect(expectError(malformed, 400).message).toMatch(/JSON/);
    const huge = await call('POST', path(), {
      token: counselor,
      body: { answers: { privacy_veilig: 3 }, note: 'x'.repeat(400_000) },
    });
    expectError(huge, 413);
    expect(
      expectError(
        await call('POST', '/api/v1/clients/niet-een-id/intake-answers', {
          token: counselor,
          body: { answers: { privacy_veilig: 3 } },
        }),
        400,
      ).details?.[0].field,
    ).toBe('id');
    // Nothing of the refused requests was saved: the latest set is still today's from the first test.
    expect((await call('GET', path(), { token: counselor })).body.latest.answers).toEqual({ kiezen_contact: 1 });
  });

  it("keeps another organisation's clients and other roles out", async () => {
    const body = { answers: { privacy_veilig: 3 } };
    expectError(await call('POST', path(), { token: world.tokens.orgBAdmin, body }), 404);
    expectError(await call('GET', path(), { token: world.tokens.orgBCounselor }), 404);
    expectError(await call('POST', path(), { token: world.tokens.policy_advisor, body }), 403);
    expectError(await call('POST', path(), { body }), 401);
    expectError(
      await call('POST', `/api/v1/clients/${randomUUID()}/intake-answers`, {
        token: counselor,
        body,
      }),
      404,
    );
  });
});
