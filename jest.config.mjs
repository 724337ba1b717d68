// Jest runs the TypeScript sources as native ES modules (NestJS 12 is ESM-only), compiled by ts-jest
// in isolated-modules mode with decorator metadata, as tsc emits it (see docs/adr/0004).
const tsJestEsm = ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }];

// ESM-only packages that CommonJS dependencies require(): Node 20's require(esm) is not
// available inside Jest's module system, so these are compiled to CommonJS for tests only.
const esmRequiredByCjs = ['content-disposition'];
const toCommonJs = [
  'ts-jest',
  { useESM: false, tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } },
];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': tsJestEsm,
    [`/node_modules/(${esmRequiredByCjs.join('|')})/.+\\.js$`]: toCommonJs,
  },
  // Nested copies count too (@fastify/static keeps its own content-disposition when another is hoisted).
  transformIgnorePatterns: [`^(?!.*/node_modules/(${esmRequiredByCjs.join('|')})/).*/node_modules/`],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testEnvironment: 'node',
};

export default {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'] },
    {
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
    },
  ],
  // 90 s: late in a single-process run (runInBand, ~100 files) the heap has grown and app start-up in a
  // beforeAll can pass 30 s (seen twice: grants-admin, resource-server-app), though each file alone takes seconds.
  testTimeout: 90000,
};
