import { USERNAME_PATTERN, usernameKey } from './username-key.js';

describe('usernameKey', () => {
  it.each([
    ['Alice', 'alice'],
    ['ALICE', 'alice'],
    ['ＡＬＩＣＥ', 'alice'], // full-width compatibility forms fold under NFKC
    ['Ünïcödé', 'ünïcödé'],
    ['U\u0308', '\u00fc'], // decomposed ü composes
    ['bob.smith+test@example.com', 'bob.smith+test@example.com'],
  ])('%s → %s', (input, key) => {
    expect(usernameKey(input)).toBe(key);
  });
});

describe('USERNAME_PATTERN', () => {
  it.each(['alice', 'Ünïcödé', 'U\u0308ber', 'देवनागरी', 'a.b_c-d+e@f', '李小龍', 'x'.repeat(100)])(
    'accepts %s',
    (name) => {
      expect(USERNAME_PATTERN.test(name)).toBe(true);
    },
  );
  it.each([
    '',
    'has space',
    'tab\there',
    'new\nline',
    'semi;colon',
    '<script>',
    'x'.repeat(101),
    'nul\u0000',
  ])('rejects %j', (name) => {
    expect(USERNAME_PATTERN.test(name)).toBe(false);
  });
});
