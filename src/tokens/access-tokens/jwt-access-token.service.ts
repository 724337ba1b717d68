import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { ClientEntity } from '../../clients/client.entity.js';
import { hashSecret } from '../../common/crypto/secret-hash.js';
import { AppConfig } from '../../config/app-config.js';
import { SHORT_LIVED_STORE, type ShortLivedStore } from '../../store/short-lived-store.js';
import { KeysService } from '../../keys/keys.service.js';
import { SIGNING_ALGS } from '../../keys/key-material.js';
import {
  AccessTokenService,
  type AccessTokenGrant,
  type ActClaim,
  type ActiveAccessToken,
  type IssuedAccessToken,
} from './access-token.service.js';
import { MAX_ACCESS_TOKEN_TTL } from './access-token-limits.js';

/** Store keys: opaque tokens by hash, and revocation markers consulted by inspect(). */
export const opaqueKey = (hash: string): string => `at:${hash}`;
export const revokedJtiKey = (jti: string): string => `at-revoked:${jti}`;
export const revokedGrantKey = (grantId: string): string => `grant-revoked:${grantId}`;
/** Value: epoch seconds; tokens of that subject issued at or before it are revoked. */
export const revokedSubjectKey = (sub: string): string => `sub-revoked:${hashSecret(sub)}`;

/** True when the subject's revocation marker (epoch seconds) is at or after the token's iat. */
function issuedBefore(claims: ActiveAccessToken, subjectRevokedAt: string | null): boolean {
  return subjectRevokedAt !== null && claims.iat <= Number(subjectRevokedAt);
}

const OPAQUE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8192;

/**
 * RFC 9068 JWT access tokens signed with the active in-memory key (node:crypto), or opaque
 * tokens (256-bit random, stored as `at:<sha256>` for the token's lifetime) for clients with
 * accessTokenFormat 'opaque'. Verification uses jose against our own keys with an algorithm
 * allow-list; revocation is a marker per jti or per grant, so it costs O(1) writes.
 */
@Injectable()
export class JwtAccessTokenService extends AccessTokenService {
  private readonly algorithms = [...SIGNING_ALGS];
  private readonly getKey = (header: JWTHeaderParameters) => {
    const key = header.kid === undefined ? null : this.keys.publicKey(header.kid);
    if (!key || key.alg !== header.alg) {
      throw new Error('unknown key');
    }
    return key.publicKey;
  };

  constructor(
    private readonly keys: KeysService,
    @Inject(SHORT_LIVED_STORE) private readonly store: ShortLivedStore,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async issue(client: ClientEntity, grant: AccessTokenGrant): Promise<IssuedAccessToken> {
    const ttl = Math.min(
      client.accessTokenTtl ?? grant.ttl ?? this.config.env.ACCESS_TOKEN_TTL,
      grant.ttl ?? MAX_ACCESS_TOKEN_TTL,
      MAX_ACCESS_TOKEN_TTL,
    );
    const iat = Math.floor(Date.now() / 1000);
    const binding = grant.dpop;
    const cnf = binding ? { cnf: { jkt: binding.jkt } } : {};
    const tokenType = binding ? 'DPoP' : 'Bearer';
    if ((grant.format ?? client.accessTokenFormat) === 'opaque') {
      const token = randomBytes(32).toString('base64url');
      const jti = hashSecret(token);
      const claims: ActiveAccessToken = {
        jti,
        clientId: client.clientId,
        sub: grant.sub,
        scope: grant.scope,
        aud: grant.audience,
        iss: this.config.issuer,
        exp: iat + ttl,
        iat,
        format: 'opaque',
        ...(grant.grantId === undefined ? {} : { grantId: grant.grantId }),
        ...cnf,
        ...(grant.act === undefined ? {} : { act: grant.act }),
      };
      await this.store.set(opaqueKey(jti), JSON.stringify(claims), ttl);
      return { token, tokenType, expiresIn: ttl, jti };
    }
    // A unique id, not a secret (the signature protects the token): 122 random bits from
    // randomUUID's buffered CSPRNG, instead of a randomBytes() system call per token.
    const jti = randomUUID();
    // RFC 9068 §2.2; `gid` (private) ties the token to its grant for grant-wide revocation.
    const token = this.keys.signer().sign({
      iss: this.config.issuer,
      sub: grant.sub,
      aud: grant.audience,
      exp: iat + ttl,
      iat,
      jti,
      client_id: client.clientId,
      scope: grant.scope,
      ...(grant.grantId === undefined ? {} : { gid: grant.grantId }),
      ...(grant.authTime === undefined ? {} : { auth_time: grant.authTime }),
      ...cnf,
      ...(grant.act === undefined ? {} : { act: grant.act }),
    });
    return { token, tokenType, expiresIn: ttl, jti };
  }

  async inspect(token: string): Promise<ActiveAccessToken | null> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      return null;
    }
    if (OPAQUE_TOKEN.test(token)) {
      return this.inspectOpaque(token);
    }
    if (!JWT_SHAPE.test(token)) {
      return null;
    }
    const claims = await this.verifyJwt(token);
    if (!claims) {
      return null;
    }
    const [jtiRevoked, grantRevoked, subjectRevokedAt] = await Promise.all([
      this.store.get(revokedJtiKey(claims.jti)),
      claims.grantId === undefined ? null : this.store.get(revokedGrantKey(claims.grantId)),
      this.store.get(revokedSubjectKey(claims.sub)),
    ]);
    return jtiRevoked === null && grantRevoked === null && !issuedBefore(claims, subjectRevokedAt)
      ? claims
      : null;
  }

  async revoke(token: ActiveAccessToken): Promise<void> {
    if (token.format === 'opaque') {
      await this.store.delete(opaqueKey(token.jti));
      return;
    }
    const ttl = token.exp - Math.floor(Date.now() / 1000);
    if (ttl > 0) {
      await this.store.set(revokedJtiKey(token.jti), '1', ttl + 1);
    }
  }

  async revokeGrant(grantId: string): Promise<void> {
    await this.store.set(revokedGrantKey(grantId), '1', MAX_ACCESS_TOKEN_TTL + 1);
  }

  async revokeSubject(sub: string): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.store.set(revokedSubjectKey(sub), String(now), MAX_ACCESS_TOKEN_TTL + 1);
  }

  private async inspectOpaque(token: string): Promise<ActiveAccessToken | null> {
    const jti = hashSecret(token);
    const stored = await this.store.get(opaqueKey(jti));
    if (stored === null) {
      return null;
    }
    const claims = JSON.parse(stored) as ActiveAccessToken;
    if (claims.exp <= Math.floor(Date.now() / 1000)) {
      return null;
    }
    const [grantRevoked, subjectRevokedAt] = await Promise.all([
      claims.grantId === undefined ? null : this.store.get(revokedGrantKey(claims.grantId)),
      this.store.get(revokedSubjectKey(claims.sub)),
    ]);
    return grantRevoked === null && !issuedBefore(claims, subjectRevokedAt) ? claims : null;
  }

  /** Signature (allow-listed algs, our published keys), typ at+jwt, iss and exp; else null. */
  private async verifyJwt(token: string): Promise<ActiveAccessToken | null> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.getKey, {
        algorithms: this.algorithms,
        issuer: this.config.issuer,
        typ: 'at+jwt',
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'aud'],
        clockTolerance: 0,
      }));
    } catch {
      return null;
    }
    const { jti, sub, aud, exp, iat, client_id: clientId, scope, gid, cnf, act } = payload;
    const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
    if (
      typeof jti !== 'string' ||
      typeof sub !== 'string' ||
      typeof aud !== 'string' ||
      typeof exp !== 'number' ||
      typeof iat !== 'number' ||
      typeof clientId !== 'string' ||
      typeof scope !== 'string' ||
      (gid !== undefined && typeof gid !== 'string') ||
      (cnf !== undefined && typeof jkt !== 'string')
    ) {
      return null;
    }
    return {
      jti,
      clientId,
      sub,
      scope,
      aud,
      iss: this.config.issuer,
      exp,
      iat,
      format: 'jwt',
      ...(gid === undefined ? {} : { grantId: gid }),
      ...(typeof jkt === 'string' ? { cnf: { jkt } } : {}),
      ...(typeof act === 'object' && act !== null ? { act: act as ActClaim } : {}),
    };
  }
}
