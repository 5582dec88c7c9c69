import { isInternalAddress, issuerProblem, issuerProblemResolved, pinnedFetch } from './issuer-url';

describe('issuer URL of an OpenID provider', () => {
  it('accepts a public https issuer', () => {
    expect(issuerProblem('https://login.microsoftonline.com/tenant/v2.0', false)).toBeNull();
    expect(issuerProblem('https://8.8.8.8/idp', false)).toBeNull();
  });

  it.each([
    ['http://login.example.nl', 'https://'],
    ['https://169.254.169.254/latest', 'public address'],
    ['https://10.1.2.3', 'public address'],
    ['https://172.20.0.5', 'public address'],
    ['https://192.168.1.1', 'public address'],
    ['https://127.0.0.1:8443', 'public address'],
    ['https://100.64.0.1', 'public address'],
    ['https://[::1]', 'public address'],
    ['https://[fe80::1]', 'public address'],
    ['https://[fd00::5]', 'public address'],
    ['https://[::ffff:169.254.169.254]', 'public address'],
    ['https://localhost', 'public host name'],
    ['https://intranet', 'public host name'],
    ['https://user:pw@login.example.nl', 'user name'],
    ['geen url', 'must be a URL'],
  ])('refuses %s', (issuer, words) => {
    expect(issuerProblem(issuer, false)).toContain(words);
  });

  it('allows http://127.0.0.1:<port> only with the development setting, never another loopback host', () => {
    expect(issuerProblem('http://127.0.0.1:4011', false)).toContain('https://');
    expect(issuerProblem('http://127.0.0.1:4011', true)).toBeNull();
    expect(issuerProblem('http://localhost:4011', true)).toContain('https://');
    expect(issuerProblem('http://10.0.0.1:4011', true)).toContain('https://');
  });

  it('refuses a name that resolves to an internal address, and one that does not resolve', async () => {
    const dns = (answers: Record<string, string[]>) => async (host: string) => {
      if (!answers[host]) throw new Error('ENOTFOUND');
      return answers[host];
    };
    const resolve = dns({ 'idp.example.nl': ['93.184.216.34'], 'evil.example': ['93.184.216.34', '169.254.169.254'] });
    expect(await issuerProblemResolved('https://idp.example.nl', false, resolve)).toBeNull();
    expect(await issuerProblemResolved('https://evil.example', false, resolve)).toContain('resolves to a private');
    expect(await issuerProblemResolved('https://gone.example', false, resolve)).toContain('does not resolve');
  });

  it('knows internal addresses of both families', () => {
    expect(['10.0.0.1', '::1', 'fe80::2', '0.0.0.0', 'not an ip'].every(isInternalAddress)).toBe(true);
    expect(['93.184.216.34', '2a00:1450:4001::1'].some(isInternalAddress)).toBe(false);
  });
});

describe('pinnedFetch: requests to a provider connect only to the addresses it checked', () => {
  it('fetches from a loopback provider with the development setting, a POST body and headers included', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['content-type'] ?? '' });
        res.end(JSON.stringify({ method: req.method, body }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const res = await pinnedFetch(true)(`http://127.0.0.1:${port}/token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x' }),
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-seen')).toBe('application/x-www-form-urlencoded;charset=UTF-8');
      expect(await res.json()).toEqual({ method: 'POST', body: 'grant_type=authorization_code&code=x' });
      // Without the development setting the same provider is refused before any connection.
      await expect(pinnedFetch(false)(`http://127.0.0.1:${port}/token`)).rejects.toThrow(/https/);
    } finally {
      server.close();
    }
  });

  it('refuses a name that resolves to an internal address, before connecting (DNS rebinding)', async () => {
    const rebinding = async () => [{ address: '169.254.169.254', family: 4 }];
    await expect(
      pinnedFetch(false, rebinding)('https://idp.example.nl/.well-known/openid-configuration'),
    ).rejects.toThrow(/resolves to a private address/);
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.0.0.5', family: 4 },
    ];
    await expect(pinnedFetch(false, mixed)('https://idp.example.nl/jwks')).rejects.toThrow(/private address/);
  });
});
