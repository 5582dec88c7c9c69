import { isInternalAddress, issuerProblem, issuerProblemResolved } from './issuer-url';

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
