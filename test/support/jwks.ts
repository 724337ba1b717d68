import request from 'supertest';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import type { Server } from 'node:http';

/** Fetches /jwks from the public listener, as a resource server would, and returns a jose key set. */
export async function fetchJwks(server: Server): Promise<{
  set: JSONWebKeySet;
  getKey: ReturnType<typeof createLocalJWKSet>;
}> {
  const res = await request(server).get('/jwks').expect(200);
  const set = res.body as JSONWebKeySet;
  return { set, getKey: createLocalJWKSet(set) };
}
