import { jest } from '@jest/globals';
import * as argon2 from 'argon2';
import request from 'supertest';
import { PasswordHasher } from '../../src/common/crypto/password-hasher.js';
import { OwnersModule } from '../../src/owners/owners.module.js';
import { OwnerRepository } from '../../src/owners/owner.repository.js';
import { OwnersService } from '../../src/owners/owners.service.js';
import { createModuleTestApp, type ModuleTestApp } from '../support/create-module-test-app.js';
import { OwnerLoginProbeController } from '../support/owner-login-probe.controller.js';

describe('owner-local Passport strategy (NestJS + Fastify)', () => {
  let t: ModuleTestApp;
  let owners: OwnersService;
  let aliceId: string;

  beforeAll(async () => {
    t = await createModuleTestApp({ imports: [OwnersModule], controllers: [OwnerLoginProbeController] });
    owners = t.app.get(OwnersService, { strict: false });
    aliceId = (await owners.create({ username: 'Alice', password: 'wonderland-42' })).id;
    const bob = await owners.create({ username: 'bob', password: 'builder-4242' });
    await owners.disable(bob.id);
  });
  afterAll(async () => {
    await t.close();
  });

  const login = () => request(t.server).post('/test/owner-login');

  it('R-AUTHZ-11: a form-encoded login with the right password yields the owner', async () => {
    const res = await login().type('form').send({ username: 'alice', password: 'wonderland-42' }).expect(200);
    expect(res.body).toEqual({ id: aliceId, username: 'Alice' });
  });

  it('R-AUTHZ-11: a JSON login works too, and the username is case-insensitive', async () => {
    await login()
      .send({ username: 'ALICE', password: 'wonderland-42' })
      .expect(200, { id: aliceId, username: 'Alice' });
  });

  it.each([
    ['a wrong password', { username: 'alice', password: 'wonderland-43' }],
    ['an unknown username', { username: 'nobody', password: 'wonderland-42' }],
    ['a disabled owner with the right password', { username: 'bob', password: 'builder-4242' }],
  ])('R-AUTHZ-11: %s gets the same 401 invalid_credentials error', async (_case, body) => {
    const res = await login().type('form').send(body).expect(401);
    expect(res.body).toEqual({
      error: 'invalid_credentials',
      error_description: 'invalid username or password',
    });
    expect(res.headers['www-authenticate']).toBe('Form realm="tessera"');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['no password', { username: 'alice' }],
    ['an empty username', { username: '', password: 'wonderland-42' }],
    ['a repeated username', 'username=alice&username=alice&password=wonderland-42'],
  ])('R-SEC-3: %s is a 400 invalid_request, not a 500', async (_case, body) => {
    const res = await login().type('form').send(body).expect(400);
    expect(res.body.error).toBe('invalid_request');
  });

  it('R-SEC-10: credentials in the query string are refused (URLs get logged)', async () => {
    const res = await login().query({ username: 'alice', password: 'wonderland-42' }).expect(400);
    expect(res.body.error_description).toContain('request body');
  });

  it('R-SEC-8: unknown, disabled and wrong-password logins all run exactly one argon2id verification', async () => {
    const verify = jest.spyOn(PasswordHasher.prototype, 'verify');
    try {
      for (const [username, password] of [
        ['nobody', 'wonderland-42'],
        ['bob', 'builder-4242'],
        ['alice', 'wrong-password'],
        ['alice', 'wonderland-42'],
      ] as const) {
        verify.mockClear();
        await owners.authenticate(username, password);
        expect(verify).toHaveBeenCalledTimes(1);
        expect(verify.mock.calls[0]?.[0]).toMatch(/^\$argon2id\$/);
      }
    } finally {
      verify.mockRestore();
    }
  });

  it('R-SEC-10: a hash made with other argon2id parameters is replaced at the next successful login only', async () => {
    const repository = t.app.get(OwnerRepository, { strict: false });
    const carol = await owners.create({ username: 'carol', password: 'carol-password-1' });
    carol.passwordHash = await argon2.hash('carol-password-1', {
      type: argon2.argon2id,
      memoryCost: 8192,
      timeCost: 1,
      parallelism: 1,
    });
    await repository.save(carol);
    const stored = async () => (await repository.findById(carol.id))?.passwordHash;

    expect(await owners.authenticate('carol', 'wrong-password')).toBeNull();
    expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=8192,p=1,t=1\$/);

    expect((await owners.authenticate('carol', 'carol-password-1'))?.id).toBe(carol.id);
    expect(await stored()).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect((await owners.authenticate('carol', 'carol-password-1'))?.id).toBe(carol.id);
  });

  it('R-SEC-8: an unknown username takes about as long as a wrong password', async () => {
    const median = async (username: string): Promise<number> => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = process.hrtime.bigint();
        await owners.authenticate(username, 'not-the-password');
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return times.sort((a, b) => a - b)[2] as number;
    };
    const known = await median('alice');
    const unknown = await median('nobody-at-all');
    // Without the dummy verification an unknown user costs one indexed lookup (~1 ms)
    // against tens of ms of argon2id; the bounds are loose for a busy CI machine.
    expect(unknown).toBeGreaterThan(known * 0.5);
    expect(unknown).toBeLessThan(known * 3);
  });
});
