/**
 * A certified OpenID provider (the `oidc-provider` package) on a loopback port, for the tests and the
 * demo: authorization code flow with PKCE, signed ID tokens, discovery and JWKS, as a real identity
 * provider of a municipality would run them. Any e-mail address can sign in (the login page asks for
 * one, nothing else): the provider vouches for the address, Klantmonitor decides whether that is a
 * staff account. Consent is given at once.
 *
 * For the refusal tests it can tamper with what it sends, one ID token at a time, like an attacker in
 * the middle or a misconfigured provider: `signature` (signed with a key it does not publish),
 * `audience` (issued to another client) or `nonce` (another login's nonce). The token is otherwise the
 * provider's own. Set with POST /__test/tamper?mode=... (loopback only, never in production: this
 * file is not part of the product).
 *
 * Usage: `node tools/oidc/test-provider.mjs <port> <clientId> <clientSecret> <redirectUri>` (the
 * demo), or `startTestProvider({...})` from a test.
 *
 * The login form takes, besides the address, what a test needs a provider to say (#22): `sub` (the
 * provider's user; default the address), `email_verified` (`true`, `false` or `missing`; default
 * true) and `amr` (comma separated, e.g. `mfa`; default none).
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, decodeJwt, SignJWT } from 'jose';
import Provider from 'oidc-provider';

const page = (title, body) => `<!doctype html><html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}label,input,button{display:block;font-size:1.1rem;margin:.5rem 0}input{width:100%;padding:.5rem}button{padding:.6rem 1.2rem}</style>
</head><body><main>${body}</main></body></html>`;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function formBody(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

/**
 * @param {{port?: number, clients: {clientId: string, clientSecret: string, redirectUris: string[]}[]}} opts
 * @returns {Promise<{issuer: string, setTamper(mode: string | null): void, close(): Promise<void>}>}
 */
export async function startTestProvider({ port = 0, clients }) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const rogue = (await generateKeyPair('RS256')).privateKey;
  let tamper = null;
  /** What the provider says of each of its users (accountId = sub). */
  const accounts = new Map();

  const server = createServer();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;

  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    // amr (how the user signed in) in every ID token that has one, as Entra ID and Keycloak send it.
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'] },
    scopes: ['openid', 'email'],
    pkce: { required: () => true },
    // E-mail in the ID token itself, as Entra ID and Google Workspace send it.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({
      accountId: id,
      claims: async () => {
        const a = accounts.get(id) ?? { email: id, verified: 'true' };
        return {
          sub: id,
          email: a.email,
          ...(a.verified === 'missing' ? {} : { email_verified: a.verified !== 'false' }),
        };
      },
    }),
    ttl: { Session: 600, Interaction: 600, Grant: 600, AuthorizationCode: 60, IdToken: 600, AccessToken: 600 },
  });
  provider.on('server_error', (_ctx, err) => console.error('test provider:', err));
  const handle = provider.callback();

  /** Re-signs the ID token of a token response the way `tamper` says. */
  const tampered = async (json) => {
    const body = JSON.parse(json);
    if (!body.id_token) return json;
    const claims = decodeJwt(body.id_token);
    const mode = tamper;
    tamper = null; // one token at a time
    if (mode === 'audience') claims.aud = 'someone-else';
    if (mode === 'nonce') claims.nonce = randomBytes(16).toString('base64url');
    body.id_token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .sign(mode === 'signature' ? rogue : privateKey);
    return JSON.stringify(body);
  };

  server.on('request', async (req, res) => {
    try {
      const url = new URL(req.url, issuer);
      if (url.pathname === '/__test/tamper' && req.method === 'POST') {
        tamper = url.searchParams.get('mode') || null;
        res.writeHead(204).end();
        return;
      }
      const m = /^\/interaction\/([^/]+)(\/login)?$/.exec(url.pathname);
      if (m) {
        const details = await provider.interactionDetails(req, res);
        if (details.prompt.name === 'consent') {
          const grant = details.grantId
            ? await provider.Grant.find(details.grantId)
            : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
          grant.addOIDCScope('openid email');
          await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } });
          return;
        }
        if (m[2] && req.method === 'POST') {
          const form = await formBody(req);
          const email = form.get('email')?.trim().toLowerCase() ?? '';
          const sub = form.get('sub')?.trim() || email;
          accounts.set(sub, { email, verified: form.get('email_verified') || 'true' });
          const amr = (form.get('amr') ?? '')
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean);
          await provider.interactionFinished(req, res, { login: { accountId: sub, ...(amr.length ? { amr } : {}) } });
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          page(
            'Inloggen bij de testprovider',
            `<h1>Inloggen bij de testprovider</h1>
<p>Dit is de identiteitsprovider van de demo en de tests.</p>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label for="email">E-mailadres</label><input id="email" name="email" type="email" autocomplete="email" required>
<button type="submit">Inloggen</button></form>`,
          ),
        );
        return;
      }
      if (url.pathname === '/token' && tamper) {
        // Catch the provider's answer and change its ID token before it leaves.
        const chunks = [];
        const write = res.write.bind(res);
        const end = res.end.bind(res);
        res.write = (c) => (chunks.push(Buffer.from(c)), true);
        res.end = (c) => {
          if (c) chunks.push(Buffer.from(c));
          void tampered(Buffer.concat(chunks).toString('utf8')).then((out) => {
            res.setHeader('content-length', Buffer.byteLength(out));
            write(out);
            end();
          });
          return res;
        };
      }
      handle(req, res);
    } catch (e) {
      console.error('test provider:', e);
      if (!res.headersSent) res.writeHead(500).end();
    }
  });

  return {
    issuer,
    setTamper: (mode) => {
      tamper = mode;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [port, clientId, clientSecret, redirectUri] = process.argv.slice(2);
  const p = await startTestProvider({
    port: Number(port),
    clients: [{ clientId, clientSecret, redirectUris: [redirectUri] }],
  });
  console.log(`READY ${p.issuer}`);
}
