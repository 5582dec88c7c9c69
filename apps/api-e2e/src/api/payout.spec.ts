import { todayInAmsterdam } from '@klantmonitor/shared/domain';
import { randomUUID } from 'node:crypto';
import { call, expectError, makeWorld, World } from '../support/http';
import { waitForMails } from '../support/mail';

/** How the spaartegoed is paid (#13): the organisation says it once, clients read it with each questionnaire. */
describe('the spaartegoed payout text', () => {
  let world: World;
  const today = todayInAmsterdam();
  const schedule = () =>
    call('GET', '/api/v1/questionnaire-schedule', {
      token: world.tokens.org_admin,
    });
  const put = async (change: Record<string, unknown>) => {
    const {
      template: _t,
      customised: _c,
      smsAvailable: _s,
      spaartegoedPayout: _p,
      ...current
    } = (await schedule()).body;
    return call('PUT', '/api/v1/questionnaire-schedule', {
      token: world.tokens.org_admin,
      body: { ...current, ...change },
    });
  };

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('is set by the admin, kept when left out, removed with null, and shown to the client', async () => {
    expect((await schedule()).body.spaartegoedPayout).toBeNull();
    const text = 'We zetten het spaartegoed elk kwartaal op je rekening.';
    const set = await put({ spaartegoedPayout: `  ${text}  ` });
    expect(set.status).toBe(200);
    expect(set.body.spaartegoedPayout).toBe(text);
    // Another change without the text keeps it.
    expect((await put({ intervalWeeks: 8 })).body.spaartegoedPayout).toBe(text);

    // The client reads it on the questionnaire and after answering.
    const email = `payout-${randomUUID().slice(0, 8)}@example.nl`;
    const c = await call('POST', '/api/v1/clients', {
      token: world.tokens.counselor,
      body: {
        clientRef: `P-${randomUUID().slice(0, 6)}`,
        municipality: 'GM0344',
        firstContact: today,
        email,
      },
    });
    expect(c.status).toBe(201);
    const [mail] = await waitForMails(email);
    const token = /\/v\/([A-Za-z0-9_-]{43})/.exec(mail.text)?.[1] as string;
    const view = await call('GET', `/api/v1/respond/${token}`);
    expect(view.body.spaartegoed.payout).toBe(text);
    const answers = {
      onrust_financien: 3,
      geloof_in_oplossing: 4,
      geluisterd: 4,
      goed_geholpen: 4,
      weet_wat_te_doen: 4,
    };
    const done = await call('POST', `/api/v1/respond/${token}`, {
      body: { answers },
    });
    expect(done.status).toBe(200);
    expect(done.body.spaartegoed.payout).toBe(text);

    expect((await put({ spaartegoedPayout: null })).body.spaartegoedPayout).toBeNull();
    // Another organisation's clients never see it.
    expect(
      (
        await call('GET', '/api/v1/questionnaire-schedule', {
          token: world.tokens.orgBAdmin,
        })
      ).body.spaartegoedPayout,
    ).toBeNull();
  });

  it('names a text that is too long or not text', async () => {
    expect(expectError(await put({ spaartegoedPayout: 'x'.repeat(501) }), 400).details?.[0].field).toBe(
      'spaartegoedPayout',
    );
    expect(expectError(await put({ spaartegoedPayout: 12 }), 400).details?.[0].field).toBe('spaartegoedPayout');
    expectError(
      await call('PUT', '/api/v1/questionnaire-schedule', {
        token: world.tokens.counselor,
        body: { spaartegoedPayout: 'x' },
      }),
      403,
    );
  });
});
