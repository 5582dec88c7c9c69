import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The production proxy and compose files, read as written (no Docker engine here to run them):
// the properties the security review found missing, each checked on the text nginx and compose get.
const ROOT = join(__dirname, '..', '..', '..', '..');
const nginx = readFileSync(join(ROOT, 'docker', 'nginx', 'default.conf'), 'utf8').replace(/#.*$/gm, '');
const compose = readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8').replace(/#.*$/gm, '');
const headers = readFileSync(join(ROOT, 'docker', 'nginx', 'security-headers.conf'), 'utf8').replace(/#.*$/gm, '');

/** The top-level `location` blocks of the server: name and body (braces matched). */
function locations(conf: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const server = conf.slice(conf.indexOf('server {'));
  let depth = 0;
  for (let i = 0; i < server.length; i++) {
    if (server[i] === '{') depth++;
    if (server[i] === '}') depth--;
    if (depth === 1 && server.startsWith('location', i)) {
      const open = server.indexOf('{', i);
      let d = 0;
      let j = open;
      for (; j < server.length; j++) {
        if (server[j] === '{') d++;
        if (server[j] === '}' && --d === 0) break;
      }
      out.push({ name: server.slice(i, open).trim(), body: server.slice(open + 1, j) });
      i = j;
    }
  }
  return out;
}

describe('production proxy (docker/nginx) and compose', () => {
  it('passes on the address nginx saw, never a client-supplied X-Forwarded-For, and the api trusts one hop', () => {
    expect(nginx).toMatch(/proxy_set_header\s+X-Forwarded-For\s+\$remote_addr;/);
    expect(nginx).not.toMatch(/\$proxy_add_x_forwarded_for/);
    // Either quote style (Prettier writes YAML strings with single quotes).
    expect(compose).toMatch(/TRUST_PROXY:\s*["']1["']/);
    expect(compose).not.toMatch(/TRUST_PROXY:\s*["']?(true|yes)["']?/);
  });

  it('sends the security headers from every location (a location with its own add_header drops the server ones)', () => {
    const found = locations(nginx);
    expect(found.map((l) => l.name)).toEqual([
      'location /api/',
      'location ~* \\.(js|css|woff2?|png|svg|ico)$',
      'location /',
    ]);
    for (const l of found) {
      expect([l.name, /include\s+\/etc\/nginx\/snippets\/security-headers\.conf;/.test(l.body)]).toEqual([
        l.name,
        true,
      ]);
    }
    for (const h of [
      'Content-Security-Policy',
      'X-Frame-Options',
      'Referrer-Policy',
      'X-Content-Type-Options',
      'Strict-Transport-Security',
    ]) {
      expect(headers).toMatch(new RegExp(`add_header ${h} .+ always;`));
    }
    expect(headers).toMatch(/frame-ancestors 'none'/);
  });

  // Security review (#11): the api and worker received the migrating superuser's URL, and Redis
  // had no password.
  it("gives the schema owner's URL to the migrate service only, and Redis a password", () => {
    const service = (name: string) => {
      const start = compose.indexOf(`\n  ${name}:\n`);
      const rest = compose.slice(start + 1);
      const next = rest.slice(1).search(/\n {2}[a-z-]+:\n/);
      return next < 0 ? rest : rest.slice(0, next + 1);
    };
    const appEnv = compose.slice(compose.indexOf('x-app-env'), compose.indexOf('\nservices:'));
    expect(appEnv).not.toMatch(/DATABASE_ADMIN_URL/);
    expect(service('migrate')).toMatch(/DATABASE_ADMIN_URL: postgres:\/\/klantmonitor:/);
    for (const name of ['api', 'worker']) {
      expect(service(name)).toMatch(new RegExp(`image: klantmonitor-${name}`)); // the block was found
      expect(service(name)).not.toMatch(/DATABASE_ADMIN_URL/);
    }
    expect(service('redis')).toMatch(/--requirepass/);
    expect(appEnv).toMatch(/REDIS_URL: redis:\/\/:\$\{REDIS_PASSWORD:\?\}@redis:6379/);
  });

  it('keeps questionnaire tokens out of the access log', () => {
    expect(nginx).toMatch(/access_log\s+\S+\s+km_safe;/);
    const format = /log_format km_safe ([\s\S]+?);/.exec(nginx)?.[1] ?? '';
    expect(format).toContain('$km_logged_uri');
    expect(format).not.toMatch(/\$request_uri|\$request[^_]|\$uri/);
    for (const route of ['/v/', '/mijn/', '/api/v1/respond/']) expect(nginx).toContain(`~^${route}`);
  });

  // #27: the benchmarks start PostgreSQL with docker/postgres/settings.json; production must run the same.
  it('starts PostgreSQL with the settings the benchmarks measure', () => {
    const settings = JSON.parse(readFileSync(join(ROOT, 'docker', 'postgres', 'settings.json'), 'utf8')) as Record<
      string,
      string
    >;
    const names = Object.keys(settings).filter((k) => k !== 'about');
    expect(names.length).toBeGreaterThanOrEqual(1);
    for (const name of names) expect(compose).toContain(`'-c', '${name}=${settings[name]}'`);
  });
});
