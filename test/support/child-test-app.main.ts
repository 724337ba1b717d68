/**
 * Entry point of `startChildTestApp` (child-test-app.ts): boots the test app in a process of its own
 * so its memory can be read apart from the test runner's. Started by `fork` with `--expose-gc`.
 * Messages: in `{ type: 'gc' }` (answers `{ type: 'memory', … }` after two full collections) and
 * `{ type: 'close' }`; out `{ type: 'ready', … }` once both apps listen.
 */
import { createCodeClient } from './authorize-flow.js';
import { createTestApp } from './create-test-app.js';
import type { ChildAppMessage } from './child-test-app.js';

const send = (message: ChildAppMessage) => process.send?.(message);

const app = await createTestApp({ LOG_LEVEL: 'error' });
await app.publicApp.listen(0, '127.0.0.1');
await app.adminApp.listen(0, '127.0.0.1');
const confidential = await createCodeClient(app, { canIntrospect: true });
const publicClient = await createCodeClient(app, { tokenEndpointAuthMethod: 'none' });

process.on('message', (message: { type: string }) => {
  if (message.type === 'gc') {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: 'memory', rss, heapUsed });
  } else if (message.type === 'close') {
    void app.close().finally(() => process.exit(0));
  }
});
process.on('disconnect', () => void app.close().finally(() => process.exit(0)));

send({
  type: 'ready',
  publicPort: (app.publicServer.address() as { port: number }).port,
  adminPort: (app.adminServer.address() as { port: number }).port,
  adminToken: app.adminToken,
  confidential: { clientId: confidential.clientId, secret: confidential.secret },
  publicClientId: publicClient.clientId,
});
