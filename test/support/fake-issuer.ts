import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface SignOptions {
  kid?: string;
  typ?: string | null;
  alg?: string;
  key?: CryptoKey | Uint8Array;
}

/**
 * A tiny authorization server for resource-server tests: RFC 8414 metadata, a JWKS that
 * counts its fetches and can rotate, and an RFC 7662 introspection endpoint that checks
 * client_secret_basic and answers from a map the test controls.
 */
export class FakeIssuer {
  readonly introspectionClient = { clientId: 'resource-server', clientSecret: 'rs-secret-0123456789' };
  jwksHits = 0;
  introspectionHits = 0;
  /** token → introspection answer (RFC 7662 §2.2); absent → {active:false}. */
  readonly introspection = new Map<string, Record<string, unknown>>();
  /** Answer JWKS requests with this status (e.g. 500 to simulate an outage). */
  jwksStatus = 200;
  private keys: SigningKey[] = [];
  private server!: Server;
  issuer = '';

  static async start(): Promise<FakeIssuer> {
    const fake = new FakeIssuer();
    await fake.addKey();
    fake.server = createServer((req, res) => {
      void fake.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.issuer = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  get currentKey(): SigningKey {
    const key = this.keys[this.keys.length - 1];
    if (!key) {
      throw new Error('no key');
    }
    return key;
  }

  get publicJwk(): JWK {
    return this.currentKey.publicJwk;
  }

  /** Publishes a new key and signs with it from now on; `dropOld` unpublishes the others. */
  async addKey(dropOld = false): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    this.keys = dropOld ? [{ kid, privateKey, publicJwk }] : [...this.keys, { kid, privateKey, publicJwk }];
    return kid;
  }

  /** An RFC 9068 access token; override any claim or header for bad-input cases. */
  async sign(claims: JWTPayload = {}, options: SignOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const header: Record<string, unknown> = {
      alg: options.alg ?? 'ES256',
      kid: options.kid ?? this.currentKey.kid,
    };
    if (options.typ !== null) {
      header.typ = options.typ ?? 'at+jwt';
    }
    return new SignJWT({
      iss: this.issuer,
      aud: 'https://api.example.test',
      sub: 'owner-1',
      client_id: 'client-1',
      scope: 'things:read',
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      ...claims,
    })
      .setProtectedHeader(header as { alg: string })
      .sign(options.key ?? this.currentKey.privateKey);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/.well-known/oauth-authorization-server') {
      return {
        status: 200,
        body: {
          issuer: this.issuer,
          jwks_uri: `${this.issuer}/jwks`,
          introspection_endpoint: `${this.issuer}/introspect`,
        },
      };
    }
    if (path === '/jwks') {
      this.jwksHits += 1;
      return { status: this.jwksStatus, body: { keys: this.keys.map((k) => k.publicJwk) } };
    }
    if (path === '/introspect' && req.method === 'POST') {
      this.introspectionHits += 1;
      const { clientId, clientSecret } = this.introspectionClient;
      const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) {
        return { status: 401, body: { error: 'invalid_client' } };
      }
      let raw = '';
      for await (const chunk of req) {
        raw += String(chunk);
      }
      const token = new URLSearchParams(raw).get('token') ?? '';
      return { status: 200, body: this.introspection.get(token) ?? { active: false } };
    }
    return { status: 404, body: { error: 'not_found' } };
  }
}
