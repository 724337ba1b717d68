import {
  formatUserCode,
  generateUserCode,
  normalizeUserCode,
  USER_CODE_ALPHABET,
  USER_CODE_SPACE,
} from './user-code.js';

describe('user codes (RFC 8628 §6.1)', () => {
  it('R-DEV-3: 8 characters from 20 consonants, shown as XXXX-XXXX', () => {
    expect(USER_CODE_ALPHABET).toHaveLength(20);
    expect(USER_CODE_ALPHABET).not.toMatch(/[AEIOUY0-9]/);
    expect(USER_CODE_SPACE).toBe(25_600_000_000);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const code = generateUserCode();
      expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{8}$/);
      seen.add(code);
    }
    expect(seen.size).toBeGreaterThan(195);
    expect(formatUserCode('BDWPHQPK')).toBe('BDWP-HQPK');
  });

  it('R-DEV-3: entry is case-insensitive and ignores dashes and spaces; anything else is refused', () => {
    for (const typed of ['BDWP-HQPK', 'bdwphqpk', 'bdwp hqpk', ' Bdwp-Hqpk ', 'B-D-W-P-H-Q-P-K']) {
      expect(normalizeUserCode(typed)).toBe('BDWPHQPK');
    }
    for (const bad of ['BDWP-HQP', 'BDWP-HQPKX', 'BDWA-HQPK', 'BDWP-HQP0', '', 42, null, 'x'.repeat(100)]) {
      expect(normalizeUserCode(bad)).toBeNull();
    }
  });
});
