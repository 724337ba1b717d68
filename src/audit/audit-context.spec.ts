import { jest } from '@jest/globals';
import { adminRequestStarted, auditContext, currentAuditContext } from './audit-context.js';

describe('audit context (issue 18: promise hooks only while an admin request runs)', () => {
  it('is switched off when the last admin request in flight finishes, not before', async () => {
    const disable = jest.spyOn(auditContext, 'disable');
    const store = { actor: { type: 'admin' as const, id: 'a' }, sourceAddress: '127.0.0.1' };
    const first = adminRequestStarted();
    const second = adminRequestStarted();
    const seen = await auditContext.run(store, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentAuditContext();
    });
    expect(seen).toBe(store);
    first();
    first(); // a second teardown of one request counts once
    expect(disable).not.toHaveBeenCalled();
    second();
    expect(disable).toHaveBeenCalledTimes(1);
    expect(currentAuditContext()).toBeUndefined();
    // run() switches it on again for the next admin request.
    const third = adminRequestStarted();
    expect(auditContext.run(store, () => currentAuditContext())).toBe(store);
    third();
    expect(disable).toHaveBeenCalledTimes(2);
    disable.mockRestore();
  });
});
