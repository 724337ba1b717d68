import { hashSecret } from '../../src/common/crypto/secret-hash.js';
import type { ClientEntity } from '../../src/clients/client.entity.js';
import { RefreshTokenFamilyEntity } from '../../src/tokens/refresh-tokens/refresh-token-family.entity.js';
import { RefreshTokenEntity } from '../../src/tokens/refresh-tokens/refresh-token.entity.js';
import type { TestApp } from './create-test-app.js';
import { sleep, type Answer } from './outage-traffic.js';
import { issueFamily } from './refresh-tokens.js';

/** One client's refresh-token grant, as the client sees it, during an outage. */
export interface Holder {
  familyId: string;
  /** The newest refresh token this client received (the one it would present next). */
  current: string;
  /** The last request presenting `current` got no token back (503 or no answer). */
  unanswered: boolean;
  /** A later request with `current` was refused: the grant is gone for this client. */
  refused: boolean;
  rotations: number;
}

/** `count` fresh grants of `ownerId` for `client`. */
export async function issueHolders(
  app: TestApp,
  client: ClientEntity,
  ownerId: string,
  count: number,
): Promise<Holder[]> {
  const holders: Holder[] = [];
  for (let i = 0; i < count; i++) {
    const issued = await issueFamily(app, client, { ownerId, scope: 'read', resources: [] });
    holders.push({
      familyId: issued.familyId,
      current: issued.token,
      unanswered: false,
      refused: false,
      rotations: 0,
    });
  }
  return holders;
}

/** A client rotating its refresh token as fast as it can, retrying its token after a failure. */
export async function rotateUntil(
  holder: Holder,
  refresh: (token: string) => Promise<Answer>,
  answers: Answer[],
  done: () => boolean,
): Promise<void> {
  while (!done() && !holder.refused) {
    const answer = await refresh(holder.current);
    answers.push(answer);
    if (answer.status === 200) {
      holder.current = String(answer.body.refresh_token);
      holder.unanswered = false;
      holder.rotations++;
    } else if (answer.status === 400 && answer.body.error === 'invalid_grant') {
      holder.refused = true;
    } else {
      holder.unanswered = true;
      await sleep(50);
    }
  }
}

/**
 * The state of every family after recovery, read from the database (reading does not use a
 * token). Allowed: the family's only unused token is the one its client holds; or, when the
 * client was refused, the family is revoked (the reuse event of R-RT-8) and the token it
 * held was used by a request the client never got an answer to. Anything else — two unused
 * tokens (a successor stored, its predecessor not retired), none, or a refusal without a
 * lost answer — is a half-rotation.
 */
export async function halfRotations(app: TestApp, holders: Holder[]): Promise<string[]> {
  const tokens = app.shared.dataSource.getRepository(RefreshTokenEntity);
  const families = app.shared.dataSource.getRepository(RefreshTokenFamilyEntity);
  const problems: string[] = [];
  for (const [i, h] of holders.entries()) {
    const rows = await tokens.findBy({ familyId: h.familyId });
    const family = await families.findOneByOrFail({ id: h.familyId });
    const held = rows.find((r) => r.tokenHash === hashSecret(h.current));
    const unused = rows.filter((r) => r.usedAt === null).map((r) => r.tokenHash);
    if (h.refused) {
      if (!h.unanswered || family.revokedAt === null || !held || held.usedAt === null) {
        problems.push(
          `client ${i}: refused (unanswered before: ${h.unanswered}, family revoked: ${family.revokedAt !== null}, held token used: ${held?.usedAt != null})`,
        );
      }
    } else if (family.revokedAt !== null || unused.length !== 1 || unused[0] !== held?.tokenHash) {
      problems.push(
        `client ${i}: family revoked: ${family.revokedAt !== null}, ${unused.length} unused token(s), held token unused: ${held?.usedAt === null}`,
      );
    }
  }
  return problems;
}
