import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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
