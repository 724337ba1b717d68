import { loadConfig } from '../config/app-config.js';
import type { AccessTokenService } from '../tokens/access-tokens/access-token.service.js';
import type { RefreshTokenService } from '../tokens/refresh-tokens/refresh-token.service.js';
import { OwnerAccessRevocation } from './owner-access-revocation.js';

function revocation(env: Record<string, string>) {
  const calls: string[] = [];
  const refresh = {
    revokeFamiliesOf: (f: { ownerId: string }) => (calls.push(`families:${f.ownerId}`), Promise.resolve(1)),
  } as unknown as RefreshTokenService;
  const access = {
    revokeSubject: (sub: string) => (calls.push(`subject:${sub}`), Promise.resolve()),
  } as unknown as AccessTokenService;
  return { service: new OwnerAccessRevocation(refresh, access, loadConfig(env)), calls };
}

describe('OwnerAccessRevocation (issue 16 M2)', () => {
  it('ISSUE16-M2: disable always revokes grant families and access tokens', async () => {
    const { service, calls } = revocation({ OWNER_PASSWORD_RESET_GRANTS: 'keep' });
    await service.endAccess('o-1', 'disabled');
    expect(calls).toEqual(['subject:o-1', 'families:o-1']);
  });

  it('ISSUE16-M2: a password reset revokes by default and keeps grants with OWNER_PASSWORD_RESET_GRANTS=keep', async () => {
    const byDefault = revocation({});
    await byDefault.service.endAccess('o-2', 'password_reset');
    expect(byDefault.calls).toEqual(['subject:o-2', 'families:o-2']);
    const keep = revocation({ OWNER_PASSWORD_RESET_GRANTS: 'keep' });
    await keep.service.endAccess('o-3', 'password_reset');
    expect(keep.calls).toEqual([]);
  });
});
