import { issuerProblem } from './sso.service';

describe('issuerProblem', () => {
  it('takes https, and http only on a loopback address', () => {
    expect(issuerProblem('https://login.microsoftonline.com/abc/v2.0')).toBeNull();
    expect(issuerProblem('http://127.0.0.1:4011')).toBeNull();
    expect(issuerProblem('http://localhost:4011/oidc')).toBeNull();
    expect(issuerProblem('http://[::1]:4011')).toBeNull();
    expect(issuerProblem('http://login.example.nl')).toMatch(/https/);
    // A lookalike that only starts with a loopback name is not one.
    expect(issuerProblem('http://127.0.0.1.example.nl')).toMatch(/https/);
    expect(issuerProblem('http://localhost.example.nl')).toMatch(/https/);
    expect(issuerProblem('ftp://127.0.0.1')).toMatch(/https/);
    expect(issuerProblem('not a url')).toMatch(/URL/);
  });
});
