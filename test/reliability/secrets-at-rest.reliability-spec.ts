import { createPrivateKey } from 'node:crypto';
import request from 'supertest';
import { KeyEncryption } from '../../src/common/crypto/key-encryption.js';
import { dumpDatabase, dumpStore } from '../support/at-rest.js';
import { exchangeCode, obtainCode, REDIRECT_URI } from '../support/authorize-flow.js';
import { basicAuth, form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

const KEY_SECRET = 'test-key-encryption-secret-0123456789abcdef';

/**
 * Issue 7 item 7 (R-SEC-7): after a full flow, the database and the short-lived store are read
 * directly; no secret that crossed the wire may appear in them in plain text.
 */
describe('secrets at rest', () => {
  let app: TestApp;
  const admin = () => ({ Authorization: `Bearer ${app.adminToken}` });
  /** label → plaintext secret that must not be stored. */
  const secrets = new Map<string, string>();
  const snapshots: string[] = [];
  let registeredClientId = '';
  const snapshot = async () => snapshots.push(...(await dumpStore(app)));

  beforeAll(async () => {
    app = await createTestApp({ KEY_ENCRYPTION_SECRET: KEY_SECRET, SIGNING_ALG: 'RS256' });
    secrets.set('admin token', app.adminToken);
    const password = 'a plaintext password 4 reliability';
    const ownerRes = await request(app.adminServer)
      .post('/admin/owners')
      .set(admin())
      .send({ username: 'at-rest-owner', password })
      .expect(201);
    secrets.set('owner password', password);

    const iat = await request(app.adminServer)
      .post('/admin/initial-access-tokens')
      .set(admin())
      .send({})
      .expect(201);
    secrets.set('initial access token', iat.body.token as string);

    const registered = await request(app.publicServer)
      .post('/register')
      .set('Authorization', `Bearer ${iat.body.token as string}`)
      .send({
        client_name: 'registered',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        scope: 'openid profile',
      })
      .expect(201);
    secrets.set('registered client secret', registered.body.client_secret as string);
    secrets.set('registration access token', registered.body.registration_access_token as string);
    registeredClientId = registered.body.client_id as string;
    const client = {
      clientId: registered.body.client_id as string,
      secret: registered.body.client_secret as string,
    } as TestClient;

    // An admin-created client with opaque access tokens, whose secret is then rotated.
    const adminClient = await request(app.adminServer)
      .post('/admin/clients')
      .set(admin())
      .send({
        client_name: 'opaque',
        grant_types: ['client_credentials'],
        scope: 'profile',
        access_token_format: 'opaque',
      })
      .expect(201);
    const id = adminClient.body.client_id as string;
    secrets.set('admin client secret (old)', adminClient.body.client_secret as string);
    const rotated = await request(app.adminServer)
      .post(`/admin/clients/${id}/secret`)
      .set(admin())
      .expect(200);
    secrets.set('admin client secret (new)', rotated.body.client_secret as string);
    const opaque = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(id, rotated.body.client_secret as string))
      .type('form')
      .send(form({ grant_type: 'client_credentials', scope: 'profile' }))
      .expect(200);
    secrets.set('opaque access token', opaque.body.access_token as string);

    // The authorization-code flow through the pages, then a refresh.
    const owner = { id: ownerRes.body.id as string, username: 'at-rest-owner', password };
    const { code, verifier, ua } = await obtainCode(app, client, owner, { scope: 'openid profile' });
    secrets.set('authorization code', code);
    secrets.set('PKCE verifier', verifier);
    for (const [name, value] of ua.cookies) {
      secrets.set(`cookie ${name}`, decodeURIComponent(value).split('.')[0] as string);
    }
    await snapshot(); // the code is in the store now, not yet redeemed
    const tokens = await exchangeCode(app, client, {
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    }).expect(200);
    secrets.set('JWT access token', tokens.body.access_token as string);
    secrets.set('JWT signature', (tokens.body.access_token as string).split('.')[2] as string);
    secrets.set('refresh token', tokens.body.refresh_token as string);
    const refreshed = await request(app.publicServer)
      .post('/token')
      .set('Authorization', basicAuth(client.clientId, client.secret))
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string }))
      .expect(200);
    secrets.set('rotated refresh token', refreshed.body.refresh_token as string);
    secrets.set('refreshed access token', refreshed.body.access_token as string);

    // The signing key's private parts, recovered with the key-encryption secret.
    await request(app.adminServer).post('/admin/keys/rotate').set(admin()).expect(201);
    const keys: { kid: string; private_key_encrypted: string }[] = await app.shared.dataSource.query(
      'SELECT kid, private_key_encrypted FROM signing_keys',
    );
    expect(keys.length).toBeGreaterThanOrEqual(2);
    const sealer = new KeyEncryption(KEY_SECRET);
    for (const key of keys) {
      const der = sealer.decrypt(key.private_key_encrypted, key.kid);
      const jwk = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
      secrets.set(`private key ${key.kid} (PKCS#8 base64)`, der.toString('base64').slice(0, 64));
      secrets.set(`private key ${key.kid} (JWK d)`, jwk.d as string);
      secrets.set(`private key ${key.kid} (JWK p)`, jwk.p as string);
    }
    await snapshot();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  const leaks = (lines: string[]) => {
    const found: string[] = [];
    for (const [label, secret] of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      for (const line of lines) {
        if (line.includes(secret)) {
          found.push(`${label} in ${line.slice(0, 80)}`);
        }
      }
    }
    return found;
  };

  it('R-SEC-7: no table row holds a plaintext secret, token, code, password or private key', async () => {
    const rows = await dumpDatabase(app);
    expect(rows.length).toBeGreaterThan(5); // the dump really read the tables
    expect(rows.some((r) => r.startsWith('signing_keys:'))).toBe(true);
    // Positive control: a non-secret identifier from the same flow is found by the same search.
    expect(rows.some((r) => r.includes(registeredClientId))).toBe(true);
    expect(leaks(rows)).toEqual([]);
    expect(rows.filter((r) => /PRIVATE KEY|"d":"/.test(r))).toEqual([]);
  });

  it('R-SEC-7: no short-lived store key or value holds one either', () => {
    expect(snapshots.some((l) => l.includes('code:'))).toBe(true); // the code was seen at rest
    expect(leaks(snapshots)).toEqual([]);
    expect(snapshots.filter((l) => /PRIVATE KEY|"d":"/.test(l))).toEqual([]);
  });
});
