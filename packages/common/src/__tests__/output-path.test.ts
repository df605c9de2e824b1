import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeDirs, writeOutputFile } from '../output-path';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'output-path-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('makeDirs makes every missing level and accepts directories that exist', () => {
  makeDirs(path.join(dir, 'a', 'b', 'c'));
  expect(statSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
  makeDirs(path.join(dir, 'a', 'b'));
});

// mkdirSync(…, { recursive: true }) never returns here: /proc answers ENOENT for a parent that exists.
test('a directory that cannot be made under /proc fails at once with the real error', () => {
  expect(() => makeDirs('/proc/self/reports/deep')).toThrow(
    expect.objectContaining({ code: 'ENOENT', path: '/proc/self/reports' }),
  );
});

test('a report under /proc is an error naming the input, not a hang', () => {
  expect(() => writeOutputFile('/proc/self/reports/out.xml', '<x/>', 'junit-path')).toThrow(
    "junit-path: could not write /proc/self/reports/out.xml: ENOENT no such file or directory, mkdir '/proc/self/reports'; the outputs and the summary were written",
  );
  expect(existsSync('/proc/self/reports')).toBe(false);
});
