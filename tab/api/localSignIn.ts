import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../../domain/clock';
import type { SignInCheck, SsoCheck } from './ssoTokenValidator';

/** Someone the local tab lets you be: the demo directory's people. */
export interface LocalPerson {
  readonly objectId: string;
  readonly name: string;
}

const ISSUER = 'privacy-desk-local-mode';
const AUDIENCE = 'privacy-desk-local-tab';
const LIFETIME_SECONDS = 8 * 60 * 60;

/**
 * Local mode's stand-in for Teams single sign-on, so the tab can be tried in a plain browser on
 * 127.0.0.1: the page lists the demo people and the server hands out a token for the one picked,
 * signed with a key that lives only in this process's memory. There is no password, which is why it
 * exists only in local mode (no MicrosoftAppId, loopback only: bot/http/server.ts refuses every other
 * caller) and the page says so on every screen.
 */
export class LocalSignIn implements SignInCheck {
  private readonly key = randomBytes(32);

  constructor(
    private readonly people: readonly LocalPerson[],
    private readonly clock: Clock,
  ) {}

  /** Whom the page offers, in the directory's order. */
  list(): readonly LocalPerson[] {
    return this.people;
  }

  /** A token for one of the listed people; undefined for anyone else. */
  async signIn(objectId: string): Promise<string | undefined> {
    const person = this.people.find((p) => p.objectId.toLowerCase() === objectId.toLowerCase());
    if (!person) return undefined;
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ oid: person.objectId.toLowerCase(), name: person.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + LIFETIME_SECONDS)
      .sign(this.key);
  }

  async check(authorization: string | undefined): Promise<SsoCheck> {
    const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) return { ok: false, refusal: authorization ? 'malformed' : 'missing' };
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: this.clock.now() });
      const person = this.people.find((p) => p.objectId.toLowerCase() === payload.oid);
      if (!person) return { ok: false, refusal: 'not_a_person' };
      return { ok: true, user: { objectId: person.objectId.toLowerCase(), name: person.name } };
    } catch {
      return { ok: false, refusal: 'bad_signature' };
    }
  }
}
