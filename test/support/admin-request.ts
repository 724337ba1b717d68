import request from 'supertest';
import type { TestApp } from './create-test-app.js';

/** supertest against the admin listener with the admin bearer token set. */
export function adminRequest(app: TestApp) {
  const auth = { Authorization: `Bearer ${app.adminToken}` };
  const agent = request(app.adminServer);
  return {
    get: (path: string) => agent.get(path).set(auth),
    post: (path: string, body?: string | object) => agent.post(path).set(auth).send(body),
    patch: (path: string, body?: string | object) => agent.patch(path).set(auth).send(body),
    put: (path: string, body?: string | object) => agent.put(path).set(auth).send(body),
    delete: (path: string) => agent.delete(path).set(auth),
  };
}
