import request from 'supertest';
import { ConsentGrantEntity } from '../../src/consent/consent-grant.entity.js';
import {
  callbackParams,
  codeRequest,
  createCodeClient,
  createOwner,
  REDIRECT_URI,
  type TestOwner,
} from '../support/authorize-flow.js';
import { form, type TestClient } from '../support/clients.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import { expectOAuthError } from '../support/oauth-assertions.js';
import { UserAgent, type UaResponse } from '../support/user-agent.js';

/** Step-up and incremental consent (R-MCP-16, RFC 6750 §3.1 scope challenges). */
describe('step-up and incremental consent (R-MCP-16)', () => {
  let app: TestApp;
  let client: TestClient;
  let owner: TestOwner;
  let ua: UserAgent;

  beforeAll(async () => {
    app = await createTestApp();
    client = await createCodeClient(app, {
      tokenEndpointAuthMethod: 'none',
      scope: 'openid profile notes:read notes:write',
    });
    owner = await createOwner(app);
    ua = new UserAgent(app.publicServer);
  });
  afterAll(async () => app?.close());

  /** Goes through login/consent; returns the consent page seen (if any) and the code. */
  async function authorize(scope: string): Promise<{ consent?: UaResponse; code: string; verifier: string }> {
    const req = codeRequest(client.clientId, { scope });
    let res = await ua.follow(await ua.get(req.url));
    let consent: UaResponse | undefined;
    for (let i = 0; i < 3 && res.status === 200; i++) {
      if (res.text.includes('name="password"')) {
        res = await ua.follow(await ua.submit(res, { username: owner.username, password: owner.password }));
      } else {
        consent = res;
        res = await ua.follow(await ua.submit(res, { decision: 'allow' }));
      }
    }
    return { consent, code: callbackParams(res).get('code') as string, verifier: req.pkce.verifier };
  }

  const exchange = (code: string, verifier: string) =>
    request(app.publicServer)
      .post('/token')
      .type('form')
      .send(
        form({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT_URI,
          client_id: client.clientId,
        }),
      );
  const refresh = (token: string) =>
    request(app.publicServer)
      .post('/token')
      .type('form')
      .send(form({ grant_type: 'refresh_token', refresh_token: token, client_id: client.clientId }));

  it('R-MCP-16: asking for more shows only the new scopes; consent, refresh token and access token carry the union; the old family is revoked', async () => {
    const first = await authorize('openid notes:read');
    expect(first.consent?.text).toContain('<code>notes:read</code>');
    const t1 = await exchange(first.code, first.verifier);
    expect(t1.status).toBe(200);
    expect(t1.body.scope).toBe('openid notes:read');

    const second = await authorize('notes:write');
    const page = second.consent?.text ?? '';
    expect(page).toContain('<code>notes:write</code>');
    expect(page).not.toContain('<code>notes:read</code>');
    expect(page).not.toContain('<code>openid</code>');
    expect(page).toContain('Already allowed');
    const t2 = await exchange(second.code, second.verifier);
    expect(t2.status).toBe(200);
    expect(t2.body.scope.split(' ').sort()).toEqual(['notes:read', 'notes:write', 'openid']);

    const grants = await app.shared.dataSource
      .getRepository(ConsentGrantEntity)
      .findBy({ ownerId: owner.id, clientId: client.clientId });
    expect(grants).toHaveLength(1);
    expect([...(grants[0]?.scopes ?? [])].sort()).toEqual(['notes:read', 'notes:write', 'openid']);

    const r2 = await refresh(t2.body.refresh_token);
    expect(r2.status).toBe(200);
    expect(r2.body.scope.split(' ').sort()).toEqual(['notes:read', 'notes:write', 'openid']);
    // The family of the first authorization was replaced, not left dangling.
    expectOAuthError(await refresh(t1.body.refresh_token), 400, 'invalid_grant');
  });

  it('R-MCP-16: asking again within what was allowed shows no page and leaves other families alone', async () => {
    const before = await authorize('notes:read');
    expect(before.consent).toBeUndefined();
    const t1 = await exchange(before.code, before.verifier);
    const again = await authorize('notes:write');
    expect(again.consent).toBeUndefined();
    const t2 = await exchange(again.code, again.verifier);
    expect(t2.body.scope).toBe('notes:write');
    // Another device of the same client keeps its refresh token (no step-up happened).
    expect((await refresh(t1.body.refresh_token)).status).toBe(200);
  });
});
