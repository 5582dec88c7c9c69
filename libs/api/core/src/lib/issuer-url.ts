import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Where an organisation's OpenID provider may live (#22). Klantmonitor's servers fetch its discovery
 * document, keys and tokens, so an issuer is a way to make them call an address of the attacker's
 * choosing: the cloud's metadata service (169.254.169.254), the database, Redis, an admin page on
 * the private network. Refused: anything but https, IP literals in private, loopback, link-local,
 * unique-local, shared, multicast or reserved ranges, and names that resolve to one (checked when
 * the settings are saved and again before every fetch). `http://127.0.0.1:<port>` is allowed only
 * with SSO_LOOPBACK_ISSUER (development and tests: their provider runs there).
 */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-translated (NAT64); IPv4-mapped ones (::ffff:a.b.c.d) meet the IPv4 rules (BlockList maps them).
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  INTERNAL.addSubnet(net, bits, 'ipv6');

/** Whether an IP address is not on the public internet. */
export function isInternalAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return true;
  return INTERNAL.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

const bare = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/**
 * What is wrong with an issuer URL as written, or null. `loopbackHttp`: the development setting
 * (http://127.0.0.1:<port> allowed).
 */
export function issuerProblem(issuer: string, loopbackHttp: boolean): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be a URL such as https://login.example.nl';
  }
  if (url.username || url.password) return 'must not contain a user name or password';
  if (url.protocol === 'http:' && loopbackHttp && url.hostname === '127.0.0.1') return null;
  if (url.protocol !== 'https:') return 'must start with https://';
  const host = bare(url.hostname);
  if (isIP(host) && isInternalAddress(host))
    return 'must be a public address (not a private, loopback or link-local one)';
  if (host === 'localhost' || host.endsWith('.localhost') || !host.includes('.'))
    return 'must be a public host name such as login.example.nl';
  return null;
}

/**
 * The same, and the host's addresses: a name that resolves to an internal address is refused too.
 * `resolve` is the DNS lookup (all addresses), replaceable in tests.
 */
export async function issuerProblemResolved(
  issuer: string,
  loopbackHttp: boolean,
  resolve: (host: string) => Promise<string[]> = async (host) =>
    (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
): Promise<string | null> {
  const problem = issuerProblem(issuer, loopbackHttp);
  if (problem) return problem;
  const url = new URL(issuer);
  const host = bare(url.hostname);
  if (isIP(host)) return null;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return `cannot be found (${host} does not resolve)`;
  }
  if (addresses.length === 0) return `cannot be found (${host} does not resolve)`;
  if (addresses.some(isInternalAddress)) return `must be a public address (${host} resolves to a private one)`;
  return null;
}

/** A DNS lookup as node's http(s) `lookup` option calls it (one address, or all with `all: true`). */
type LookupAll = (host: string) => Promise<{ address: string; family: number }[]>;

const systemLookup: LookupAll = (host) => lookup(host, { all: true, verbatim: true });

/**
 * A `fetch` for every request to an organisation's provider (discovery, keys, tokens: openid-client's
 * customFetch). The address it connects to is the one it checked: the host is resolved once, every
 * address must be public (loopback 127.0.0.1 only with the development setting), and the connection
 * uses exactly those addresses, so a name that is re-pointed between the check and the connection
 * (DNS rebinding) cannot reach the metadata service or the database. Redirects are not followed
 * (openid-client asks for `manual`).
 */
export function pinnedFetch(loopbackHttp: boolean, resolveAll: LookupAll = systemLookup) {
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input));
    const problem = issuerProblem(`${url.protocol}//${url.host}`, loopbackHttp);
    if (problem) throw new Error(`refused to fetch ${url.host}: ${problem}`);
    const host = bare(url.hostname);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolveAll(host);
    const allowed = (a: string) => !isInternalAddress(a) || (loopbackHttp && a === '127.0.0.1');
    if (addresses.length === 0 || !addresses.every((a) => allowed(a.address)))
      throw new Error(`refused to fetch ${url.host}: it resolves to a private address`);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers = new Headers(init.headers);
    let body: Buffer | undefined;
    if (init.body instanceof URLSearchParams) {
      body = Buffer.from(init.body.toString());
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    } else if (typeof init.body === 'string') body = Buffer.from(init.body);
    else if (init.body != null) body = Buffer.from(await new Response(init.body).arrayBuffer());
    // The checked addresses, and no others (all of them when node asks for all: happy eyeballs).
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) (callback as unknown as (e: null, all: typeof addresses) => void)(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    };
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        url,
        {
          method: init.method ?? 'GET',
          headers: Object.fromEntries(headers.entries()),
          signal: init.signal ?? undefined,
          // The checked addresses, and no others.
          lookup: pinned,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const out = new Headers();
            for (const [k, v] of Object.entries(res.headers))
              for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
            const status = res.statusCode ?? 502;
            const empty = status === 204 || status === 304 || (status >= 100 && status < 200);
            resolve(
              new Response(empty ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage,
                headers: out,
              }),
            );
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
}
