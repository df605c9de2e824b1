import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { node24, repoRoot } from './run-action';

export interface LoadedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The dist files the process loaded, relative to dist/. */
  files: string[];
  /**
   * What those files were built from, per their source maps: `packages/<name>`, `actions/<name>` or a
   * node_modules package (`zod`, `@actions/core`…). This is what start-up paid for.
   */
  sources: Set<string>;
}

function origin(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const parts = source.slice(nm + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const m = /(?:^|\/)((?:packages|actions)\/[^/]+)\//.exec(source);
  return m ? m[1] : source;
}

/** Runs a bundle (dist/…) with Node 24 and records every file it loads and what those were built from. */
export function runTracingLoads(args: string[], env: Record<string, string> = {}): LoadedRun {
  const tmp = mkdtempSync(path.join(tmpdir(), 'load-trace-'));
  const trace = path.join(tmp, 'loaded');
  writeFileSync(trace, '');
  try {
    const hook = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-trace.mjs');
    const r = spawnSync(node24, ['--import', hook, ...args], {
      cwd: tmp,
      env: { PATH: process.env.PATH ?? '', HOME: tmp, LOAD_TRACE_FILE: trace, ...env },
      encoding: 'utf8',
    });
    const dist = path.join(repoRoot, 'dist');
    const files = readFileSync(trace, 'utf8')
      .split('\n')
      .filter((u) => u && !u.endsWith('/load-trace.mjs'))
      .map((u) => fileURLToPath(u));
    const sources = new Set<string>();
    for (const f of files) {
      if (!f.startsWith(dist + path.sep)) {
        sources.add(`outside dist: ${f}`);
        continue;
      }
      if (!existsSync(f + '.map')) throw new Error(`${f} has no source map`);
      const map = JSON.parse(readFileSync(f + '.map', 'utf8')) as { sources: string[] };
      for (const s of map.sources) sources.add(origin(s));
    }
    return { ...r, files: files.map((f) => path.relative(dist, f)), sources };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
