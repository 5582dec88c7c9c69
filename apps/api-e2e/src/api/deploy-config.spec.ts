import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The production proxy and compose files, read as written (no Docker engine here to run them):
// the properties the security review found missing, each checked on the text nginx and compose get.
const ROOT = join(__dirname, '..', '..', '..', '..');
const nginx = readFileSync(join(ROOT, 'docker', 'nginx', 'default.conf'), 'utf8').replace(/#.*$/gm, '');
const compose = readFileSync(join(ROOT, 'docker', 'compose.yml'), 'utf8').replace(/#.*$/gm, '');
const headers = readFileSync(join(ROOT, 'docker', 'nginx', 'security-headers.conf'), 'utf8').replace(/#.*$/gm, '');

const read = (...path: string[]) => readFileSync(join(ROOT, ...path), 'utf8');

/** The `server` blocks of the configuration, braces matched. */
function servers(conf: string): string[] {
  const out: string[] = [];
  for (let at = conf.indexOf('server {'); at >= 0; at = conf.indexOf('server {', at + 1)) {
    let depth = 0;
    let j = conf.indexOf('{', at);
    for (; j < conf.length; j++) {
      if (conf[j] === '{') depth++;
      if (conf[j] === '}' && --depth === 0) break;
    }
    out.push(conf.slice(at, j + 1));
    at = j;
  }
  return out;
}
const [httpServer, tlsServer] = servers(nginx);

/** One service's block of the compose file. */
const service = (name: string) => {
  const start = compose.indexOf(`\n  ${name}:\n`);
  const rest = compose.slice(start + 1);
  const next = rest.slice(1).search(/\n {2}[a-z-]+:\n/);
  return next < 0 ? rest : rest.slice(0, next + 1);
};
/** The environment every app service shares (x-app-env). */
const appEnv = compose.slice(compose.indexOf('x-app-env'), compose.indexOf('\nservices:'));

/** The top-level `location` blocks of the TLS server: name and body (braces matched). */
function locations(conf: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const server = conf;
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
    const found = locations(tlsServer);
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
    for (const route of ['/v/', '/mijn/', '/welkom/', '/wachtwoord/', '/api/v1/respond/', '/api/v1/client-portal/'])
      expect(nginx).toContain(`~^${route}`);
    // Everything else is logged without its query (?sso=, ?code=, ?state=): $uri, not $request_uri.
    expect(nginx).toMatch(/default\s+\$uri;/);
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

  // #22: the deployment findings of the security review, each on the files as written.
  describe('the security review of #22', () => {
    it("terminates TLS: HTTP only redirects (no HSTS over HTTP), HTTPS with the operator's certificate", () => {
      expect(httpServer).toMatch(/listen 8080;/);
      expect(httpServer).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
      expect(httpServer).not.toMatch(/security-headers|Strict-Transport-Security|proxy_pass/);
      expect(tlsServer).toMatch(/listen 8443 ssl;/);
      expect(tlsServer).toMatch(/ssl_certificate \/etc\/nginx\/tls\/fullchain\.pem;/);
      expect(tlsServer).toMatch(/ssl_certificate_key \/etc\/nginx\/tls\/privkey\.pem;/);
      expect(tlsServer).toMatch(/ssl_protocols TLSv1\.2 TLSv1\.3;/);
      expect(service('dashboard')).toMatch(/- '80:8080'/);
      expect(service('dashboard')).toMatch(/- '443:8443'/);
      expect(service('dashboard')).toMatch(/\$\{TLS_DIR:-\.\/tls\}:\/etc\/nginx\/tls/);
      expect(compose).not.toMatch(/'8080:8080'/);
    });

    it('believes X-Forwarded-For only from TRUSTED_PROXIES (real_ip), in both servers', () => {
      for (const server of [httpServer, tlsServer])
        expect(server).toMatch(/include \/etc\/nginx\/snippets\/real-ip\.conf;/);
      expect(service('dashboard')).toMatch(/TRUSTED_PROXIES: \$\{TRUSTED_PROXIES:-\}/);
    });

    // The entrypoint script, run here with sh and openssl on temporary paths (`dir`: a fresh one).
    const entrypoint = join(ROOT, 'docker', 'nginx', 'entrypoint', '20-klantmonitor.sh');
    const runEntrypoint = (env: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'km-nginx-'))) => {
      const r = spawnSync('sh', [entrypoint], {
        env: {
          PATH: process.env['PATH'] ?? '',
          KM_TLS_DIR: dir,
          KM_REAL_IP_SNIPPET: join(dir, 'real-ip.conf'),
          ...env,
        },
        encoding: 'utf8',
      });
      return { status: r.status, stderr: r.stderr, dir };
    };

    it('writes real_ip lines for each trusted proxy, refuses anything else, and none without', () => {
      const dir = mkdtempSync(join(tmpdir(), 'km-nginx-'));
      writeFileSync(join(dir, 'fullchain.pem'), 'x');
      writeFileSync(join(dir, 'privkey.pem'), 'x');
      const run = (proxies: string) => runEntrypoint({ TRUSTED_PROXIES: proxies }, dir);
      expect(run('10.0.0.0/8,fd00::/8, 192.168.1.7').status).toBe(0);
      expect(readFileSync(join(dir, 'real-ip.conf'), 'utf8')).toBe(
        'set_real_ip_from 10.0.0.0/8;\nset_real_ip_from fd00::/8;\nset_real_ip_from 192.168.1.7;\nreal_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n',
      );
      const bad = run('10.0.0.0/8;include /etc/passwd');
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('is not an address or range');
      expect(run('').status).toBe(0);
      expect(readFileSync(join(dir, 'real-ip.conf'), 'utf8')).toBe('');
    });

    it('refuses to start without a certificate, and makes a self-signed one only when asked', () => {
      const none = runEntrypoint({});
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('no certificate');
      const self = runEntrypoint({ TLS_SELF_SIGNED: 'true', TLS_SERVER_NAME: 'klantmonitor.test' });
      expect(self.status).toBe(0);
      expect(readFileSync(join(self.dir, 'fullchain.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
      const text = spawnSync('openssl', ['x509', '-in', join(self.dir, 'fullchain.pem'), '-noout', '-subject'], {
        encoding: 'utf8',
      }).stdout;
      expect(text).toContain('klantmonitor.test');
    });

    it("gives the platform admin's password and the owner's URL to migrate only (compose, tests' stack, demo)", () => {
      expect(appEnv).not.toMatch(/KM_ADMIN_PASSWORD|KM_ADMIN_EMAIL|DATABASE_ADMIN_URL/);
      expect(service('migrate')).toMatch(/KM_ADMIN_PASSWORD: \$\{KM_ADMIN_PASSWORD:\?\}/);
      for (const name of ['api', 'worker']) {
        expect(service(name)).toMatch(new RegExp(`image: klantmonitor-${name}`));
        expect(service(name)).not.toMatch(/KM_ADMIN|DATABASE_ADMIN_URL/);
      }
      for (const file of [read('tools', 'test', 'stack.cjs'), read('tools', 'demo', 'demo.mjs')]) {
        expect(file).toMatch(
          /const \{ DATABASE_ADMIN_URL: _admin, KM_ADMIN_EMAIL: _email, KM_ADMIN_PASSWORD: _password, \.\.\.serveEnv \} = env;/,
        );
        // The api and worker are started with serveEnv, never the migrate environment.
        expect(file).not.toMatch(/startProcess\([A-Z_]+, env,|spawn\(process\.execPath, \[main\], \{ cwd: ROOT, env,/);
      }
    });

    it('keeps .env, .data and node_modules out of git and out of images', () => {
      for (const file of ['.gitignore', '.dockerignore']) {
        const lines = read(file)
          .split('\n')
          .map((l) => l.trim());
        for (const entry of ['.env', '.data', 'node_modules'])
          expect([file, entry, lines.includes(entry)]).toEqual([file, entry, true]);
        expect(lines).toContain('docker/tls/*.pem');
      }
    });

    it("limits request bodies in nginx to the api's own import limit", () => {
      const limits = read('libs', 'api', 'feature-import', 'src', 'lib', 'limits.ts');
      const [, mb] = /IMPORT_MAX_BYTES = (\d+) \* 1024 \* 1024;/.exec(limits) ?? [];
      expect(Number(mb)).toBeGreaterThan(0);
      const sizes = [...nginx.matchAll(/client_max_body_size (\S+);/g)].map((m) => m[1]);
      expect(sizes).toEqual([`${mb}m`]);
    });

    it('pins every image from a registry by digest and installs from the lockfile', () => {
      for (const name of ['api', 'worker', 'dashboard']) {
        const dockerfile = read('docker', `${name}.Dockerfile`).replace(/#.*$/gm, '');
        const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
        expect(froms.length).toBeGreaterThanOrEqual(2);
        for (const image of froms)
          expect([name, image]).toEqual([name, expect.stringMatching(/@sha256:[0-9a-f]{64}$/)]);
        expect(dockerfile).toMatch(/RUN npm ci /);
        expect(dockerfile).not.toMatch(/npm install/);
      }
      const images = [...compose.matchAll(/image: (\S+)/g)]
        .map((m) => m[1])
        .filter((i) => !i.startsWith('klantmonitor-'));
      expect(images.length).toBe(2); // postgres, redis
      for (const image of images) expect(image).toMatch(/@sha256:[0-9a-f]{64}$/);
    });
  });
});
