/**
 * Access tokens whose signature, issuer and audience were verified, with their claims, until they
 * expire (#26, session 22). Verifying a token (base64url, JSON, an HMAC) was 5-6 % of the api's time
 * for a caseload page; a dashboard sends the same token with every request for its lifetime.
 *
 * What a hit skips is only what cannot change for the same string: the HMAC over the same bytes with
 * the same key, the same issuer and audience. What can change is checked on every use: the expiry
 * here (`exp`, as jsonwebtoken checks it), the session (still open) and the role in the guard. Only
 * tokens that passed verification are kept, so a forged token never enters and always pays the full
 * check; the map is bounded (the oldest entry goes first), so many sign-ins cannot grow it.
 */
export class VerifiedTokens<C extends { exp?: unknown }> {
  private readonly entries = new Map<string, { claims: C; exp: number }>();

  constructor(private readonly max = 10_000) {}

  /** The claims of `token` verified for `audience`, or undefined (never seen, or expired at `nowSeconds`). */
  get(token: string, audience: string, nowSeconds: number): C | undefined {
    const key = `${audience} ${token}`;
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // jsonwebtoken refuses a token when now >= exp; so does a hit.
    if (nowSeconds >= hit.exp) {
      this.entries.delete(key);
      return undefined;
    }
    return hit.claims;
  }

  /** Keeps the claims of a verified token; a token without a numeric `exp` is not kept. */
  set(token: string, audience: string, claims: C): void {
    if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return;
    const key = `${audience} ${token}`;
    if (!this.entries.has(key) && this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { claims, exp: claims.exp });
  }

  get size(): number {
    return this.entries.size;
  }
}
