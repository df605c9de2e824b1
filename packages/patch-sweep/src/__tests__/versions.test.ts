import { newestPatch } from '../versions';

const tags = [
  '1.25.0',
  '1.25.1',
  '1.25.3',
  '1.25.4-rc.1',
  '1.25.10-alpine',
  '1.25.2-alpine',
  '1.26.0',
  '2.0.0',
  '1.25',
  'latest',
  'v1.25.9',
  '1.25.11-beta2',
  'mainline',
];

test.each([
  ['1.25.1', '1.25.3'], // the highest patch of 1.25; 1.26 and 2.0 are other minors
  ['1.25.3', undefined], // already the newest
  ['1.25.1-alpine', '1.25.10-alpine'], // the variant is kept, numerically (10 > 2)
  ['v1.25.1', 'v1.25.9'], // the v prefix is kept
  ['1.25', undefined], // a floating minor tag has no patch to bump
  ['latest', undefined],
  ['1.24.0', undefined], // nothing newer within 1.24
])('%s → %s (pre-releases never win)', (current, expected) => {
  expect(newestPatch(current, tags)).toBe(expected);
});
