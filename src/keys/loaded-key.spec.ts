import type { JwsSigner } from './jws-signer.js';
import { selectActive, type LoadedKey } from './loaded-key.js';

const key = (generation: number, activatesAt: number, signs = true): LoadedKey =>
  ({
    kid: `k${generation}`,
    generation,
    activatesAt,
    signer: signs ? ({ kid: `k${generation}` } as JwsSigner) : null,
  }) as LoadedKey;

describe('selectActive (which key signs)', () => {
  it('R-AT-12: the newest activated generation signs; a pending key does not sign before its activation', () => {
    const keys = [key(3, 3000), key(2, 2000), key(1, 1000, false)];
    expect(selectActive(keys, 2500)).toEqual({ signer: { kid: 'k2' }, until: 3000 });
    expect(selectActive(keys, 3000)).toEqual({ signer: { kid: 'k3' }, until: Number.POSITIVE_INFINITY });
    expect(selectActive(keys, 1500).signer).toBeNull();
  });
});
