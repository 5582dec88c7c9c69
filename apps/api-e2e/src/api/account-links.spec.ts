import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { call, expectError, login, makeWorld, PASSWORD, World } from '../support/http';
import { mailsTo, waitForMails } from '../support/mail';

/**
 * Invitations and forgotten passwords by e-mail (docs/api.md, #13), through the real worker and the
 * loopback SMTP server: the link in the e-mail is the only way in, once, within its time.
 */
describe('invitations and forgotten passwords', () => {
  let world: World;
  const tag = randomUUID().slice(0, 8);
  const linkIn = (text: string, path: 'welkom' | 'wachtwoord') => {
    const m = text.match(new RegExp(`https?://[^\\s]+/${path}/([A-Za-z0-9_-]{43})`));
    if (!m) throw new Error(`no /${path}/ link in: ${text}`);
    return m[1];
  };
  const owner = () => new Client({ connectionString: process.env['KM_E2E_ADMIN_DB_URL'] });

  beforeAll(async () => {
    world = await makeWorld();
  });

  it('invites a colleague without a password: the e-mail link sets it once, then sign-in works', async () => {
    const email = `invited-${tag}@example.nl`;
    const created = await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
      token: world.tokens.org_admin,
      body: { email, role: 'counselor', name: 'Nieuwe Collega' },
    });
    expect(created.status).toBe(201);
    expect(created.body.invited).toBe(true);
    const [mail] = await waitForMails(email);
    expect(mail.subject).toBe('Welkom bij Klantmonitor: kies je wachtwoord');
    expect(mail.text).toContain(`${world.orgA.name} heeft een account voor je gemaakt`);
    const token = linkIn(mail.text, 'welkom');

    // Nobody can sign in before the invitation is accepted (no password is known).
    expect(
      (
        await call('POST', '/api/v1/auth/login', {
          body: { email, password: PASSWORD },
        })
      ).status,
    ).toBe(401);
    // Only the hash is stored.
    const db = owner();
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT token_hash, expires_at - sent_at AS valid FROM account_links l JOIN users u ON u.id = l.user_id WHERE u.email = $1`,
        [email],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].token_hash.toString('base64url')).not.toBe(token);
      expect(rows[0].valid.days).toBe(7);
    } finally {
      await db.end();
    }

    const accept = (password: unknown, t: unknown = token) =>
      call('POST', '/api/v1/auth/invitation/accept', {
        body: { token: t, password },
      });
    expect(expectError(await accept('kort'), 400).details?.[0]).toEqual({
      field: 'password',
      message: 'must be at least 12 characters',
    });
    expect(expectError(await accept(email), 400).details?.[0].field).toBe('password');
    expect(expectError(await accept(PASSWORD, 'not-a-token'), 400).details?.[0].field).toBe('token');
    expect(expectError(await accept(undefined), 400).details?.[0].field).toBe('password');
    // A reset link is no invitation, and the other way round.
    expectError(
      await call('POST', '/api/v1/auth/password/reset', {
        body: { token, password: PASSWORD },
      }),
      404,
    );
    expect((await accept('een-eigen-lang-wachtwoord')).status).toBe(204);
    expect(expectError(await accept('een-ander-lang-wachtwoord'), 410).details?.[0]).toEqual({
      field: 'token',
      message: 'used',
    });
    expect(await login(email, 'een-eigen-lang-wachtwoord')).toBeTruthy();
  });

  it('sends a reset link to a known address only, answers 202 either way, and ends the other sessions', async () => {
    const me = (await call('GET', '/api/v1/me', { token: world.tokens.counselor })).body as { email: string };
    const before = (await mailsTo(me.email)).length;
    const unknown = `nobody-${tag}@example.nl`;
    const forgot = async (email: string) => {
      const r = await call('POST', '/api/v1/auth/password/forgot', {
        body: { email },
      });
      expect(r.status).toBe(202);
      expect(r.text).toBe('');
    };
    await forgot(me.email);
    await forgot(unknown);
    await waitForMails(me.email, before + 1);
    // Asked again (in capitals): a second e-mail, and only the newest link works.
    await forgot(me.email.toUpperCase());
    const mails = await waitForMails(me.email, before + 2);
    const [older, newer] = mails.slice(before).map((m) => linkIn(m.text, 'wachtwoord'));
    expect(mails.at(-1)?.subject).toBe('Nieuw wachtwoord voor Klantmonitor');
    await new Promise((r) => setTimeout(r, 1000));
    expect(await mailsTo(unknown)).toEqual([]);

    const session = await login(me.email, PASSWORD);
    const reset = (token: string, password: string) =>
      call('POST', '/api/v1/auth/password/reset', {
        body: { token, password },
      });
    expect(expectError(await reset(older, 'een-nieuw-lang-wachtwoord'), 410).details?.[0].message).toBe('used');
    expect((await reset(newer, 'een-nieuw-lang-wachtwoord')).status).toBe(204);
    expectError(await call('GET', '/api/v1/me', { token: session }), 401);
    expect(expectError(await reset(newer, 'nog-een-lang-wachtwoord'), 410).details?.[0].message).toBe('used');
    expect(await login(me.email, 'een-nieuw-lang-wachtwoord')).toBeTruthy();
    expect(
      (
        await call('POST', '/api/v1/auth/login', {
          body: { email: me.email, password: PASSWORD },
        })
      ).status,
    ).toBe(401);

    const db = owner();
    await db.connect();
    try {
      // The audit log says a request came in, but keeps no unknown address.
      const { rows } = await db.query(
        `SELECT details FROM audit_events WHERE action = 'auth.password_forgot' AND details->>'known' = 'false' ORDER BY id DESC LIMIT 1`,
      );
      expect(rows[0].details).toEqual({ known: false });
    } finally {
      await db.end();
    }
  });

  it('refuses an expired link with 410 and an unknown one with 404; bad bodies are named', async () => {
    const email = `expiring-${tag}@example.nl`;
    expect(
      (
        await call('POST', `/api/v1/organisations/${world.orgA.id}/users`, {
          token: world.tokens.org_admin,
          body: { email, role: 'policy_advisor' },
        })
      ).status,
    ).toBe(201);
    const token = linkIn((await waitForMails(email))[0].text, 'welkom');
    const db = owner();
    await db.connect();
    try {
      await db.query(
        `UPDATE account_links SET expires_at = now() - interval '1 second' FROM users u WHERE u.id = account_links.user_id AND u.email = $1`,
        [email],
      );
    } finally {
      await db.end();
    }
    expect(
      expectError(
        await call('POST', '/api/v1/auth/invitation/accept', {
          body: { token, password: 'een-eigen-lang-wachtwoord' },
        }),
        410,
      ).details?.[0].message,
    ).toBe('expired');
    expect(
      expectError(
        await call('POST', '/api/v1/auth/invitation/accept', {
          body: {
            token: 'A'.repeat(43),
            password: 'een-eigen-lang-wachtwoord',
          },
        }),
        404,
      ).details?.[0].message,
    ).toBe('unknown');
    expectError(await call('POST', '/api/v1/auth/password/forgot', { body: {} }), 400);
    expect(
      expectError(
        await call('POST', '/api/v1/auth/password/forgot', {
          body: { email: 'geen-adres' },
        }),
        400,
      ).details?.[0].field,
    ).toBe('email');
    expect(
      expectError(
        await call('POST', '/api/v1/auth/password/forgot', {
          body: { email: `${'x'.repeat(300)}@example.nl` },
        }),
        400,
      ).details?.[0].field,
    ).toBe('email');
    expectError(await call('POST', '/api/v1/auth/password/forgot', { body: '{"email":' }), 400);
    expect(
      expectError(
        await call('POST', '/api/v1/auth/password/reset', {
          body: { token, password: 'x'.repeat(300) },
        }),
        400,
      ).details?.[0].field,
    ).toBe('password');
  });

  it('limits requests per e-mail address, and unknown links per address without locking out a known one', async () => {
    const email = `limited-${tag}@example.nl`;
    // 3 requests per e-mail address in 15 minutes; the 4th is 429, known address or not.
    for (let i = 0; i < 3; i++)
      expect(
        (
          await call('POST', '/api/v1/auth/password/forgot', {
            body: { email },
          })
        ).status,
      ).toBe(202);
    expectError(await call('POST', '/api/v1/auth/password/forgot', { body: { email } }), 429);

    const invitee = `guessed-${tag}@example.nl`;
    expect(
      (
        await call('POST', `/api/v1/organisations/${world.orgB.id}/users`, {
          token: world.tokens.orgBAdmin,
          body: { email: invitee, role: 'counselor' },
        })
      ).status,
    ).toBe(201);
    const token = linkIn((await waitForMails(invitee))[0].text, 'welkom');
    const guess = () =>
      call('POST', '/api/v1/auth/invitation/accept', {
        body: {
          token: randomUUID().replace(/-/g, '').padEnd(43, 'x'),
          password: 'een-eigen-lang-wachtwoord',
        },
      });
    let limited = false;
    for (let i = 0; i < 25 && !limited; i++) limited = (await guess()).status === 429;
    expect(limited).toBe(true);
    // The guesser's address still gets through with a real link.
    expect(
      (
        await call('POST', '/api/v1/auth/invitation/accept', {
          body: { token, password: 'een-eigen-lang-wachtwoord' },
        })
      ).status,
    ).toBe(204);
  });
});
