// ESM-only dependencies (@actions/* 3.x, zod 4) need jest's ESM mode:
// `node --experimental-vm-modules node_modules/jest/bin/jest.js` with ts-jest's ESM preset.
/** @type {import('jest').Config} */
export default {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/actions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: {
    '^@upgrade-actions/([a-z0-9-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testTimeout: 60000,
  // Line coverage of the engines (CI passes --coverage, see .ci/run). V8's own coverage costs far less than
  // instrumenting through ts-jest's ESM transform; 80 % is the seed's bar for unit tests (SEEDS.md §1).
  collectCoverageFrom: ['packages/*/src/**/*.ts', '!**/__tests__/**'],
  coverageProvider: 'v8',
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 80 } },
  // Tests start real servers and git processes; two workers match CI's two cores.
  maxWorkers: 2,
};
