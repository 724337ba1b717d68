import { createHash, randomBytes } from 'node:crypto';
import { OwnersService } from '../../src/owners/owners.service.js';
import request from 'supertest';
import { basicAuth, createClient, form, type TestClient } from './clients.js';
import type { TestApp } from './create-test-app.js';
import { UserAgent, type UaResponse } from './user-agent.js';

export const ISSUER = 'http://127.0.0.1:3000';
export const REDIRECT_URI = 'https://client.example/cb';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface TestOwner {
  id: string;
  username: string;
  password: string;
}

export async function createOwner(
  app: TestApp,
  username = `owner${randomBytes(4).toString('hex')}`,
): Promise<TestOwner> {
  const password = 'correct horse battery staple';
  const owner = await app.publicApp.get(OwnersService, { strict: false }).create({ username, password });
  return { id: owner.id, username, password };
}

/** A client able to use the authorization_code flow (confidential unless overridden). */
export function createCodeClient(
  app: TestApp,
  overrides: Parameters<typeof createClient>[1] = {},
): Promise<TestClient> {
  return createClient(app, {
    redirectUris: [REDIRECT_URI],
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    scope: 'openid profile read',
    ...overrides,
  });
}

export function authorizeUrl(params: Record<string, string | string[] | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const value of Array.isArray(v) ? v : v === undefined ? [] : [v]) {
      query.append(k, value);
    }
  }
  return `/authorize?${query.toString()}`;
}

/** Standard request parameters for a client, with a fresh PKCE pair and state. */
export function codeRequest(clientId: string, extra: Record<string, string | string[] | undefined> = {}) {
  const p = pkce();
  const state = randomBytes(8).toString('hex');
  const params = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    state,
    scope: 'openid read',
    ...extra,
  };
  return { url: authorizeUrl(params), pkce: p, state, params };
}

/** The query of a redirect to the client. */
export function callbackParams(res: UaResponse): URLSearchParams {
  if (!res.location) {
    throw new Error(`expected a redirect, got ${res.status}: ${res.text.slice(0, 300)}`);
  }
  return new URL(res.location).searchParams;
}

/** Runs the whole front channel (login and consent as needed) and returns the final redirect. */
export async function authorizeThroughPages(
  ua: UserAgent,
  url: string,
  owner: TestOwner,
  decision: 'allow' | 'deny' = 'allow',
): Promise<UaResponse> {
  let res = await ua.follow(await ua.get(url));
  for (let i = 0; i < 4 && res.status === 200; i++) {
    if (res.text.includes('name="password"')) {
      res = await ua.follow(await ua.submit(res, { username: owner.username, password: owner.password }));
    } else if (res.text.includes('name="decision"')) {
      res = await ua.follow(await ua.submit(res, { decision }));
    } else {
      break;
    }
  }
  return res;
}

/** A code for `client` obtained through the pages. */
export async function obtainCode(
  app: TestApp,
  client: TestClient,
  owner: TestOwner,
  extra: Record<string, string> = {},
) {
  const ua = new UserAgent(app.publicServer);
  const req = codeRequest(client.clientId, extra);
  const res = await authorizeThroughPages(ua, req.url, owner);
  const params = callbackParams(res);
  const code = params.get('code');
  if (!code) {
    throw new Error(`no code: ${res.location ?? res.status}`);
  }
  return { code, verifier: req.pkce.verifier, state: req.state, ua, params };
}

/** POST /token for the authorization_code grant, authenticating like the client would. */
export function exchangeCode(
  app: TestApp,
  client: TestClient,
  params: Record<string, string | undefined>,
): request.Test {
  const req = request(app.publicServer).post('/token').type('form');
  const body: Record<string, string | undefined> = { grant_type: 'authorization_code', ...params };
  if (client.secret) {
    void req.set('Authorization', basicAuth(client.clientId, client.secret));
  } else {
    body.client_id = client.clientId;
  }
  return req.send(form(body));
}
