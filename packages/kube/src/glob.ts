import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Files matching a glob pattern (`*`, `?`, `[...]`, `**`, `{a,b}`), relative to `cwd`. Written here
 * rather than using fs.globSync because the library must also load on Node 20, which lacks it.
 */
export function globFiles(pattern: string, cwd: string): string[] {
  const abs = path.resolve(cwd, pattern).split(path.sep).join('/');
  const parts = abs.split('/');
  const firstMagic = parts.findIndex((p) => /[*?[{]/.test(p));
  if (firstMagic < 0) return existsSync(abs) ? [abs] : [];
  const base = parts.slice(0, firstMagic).join('/') || '/';
  const re = new RegExp(`^${globToRegex(parts.slice(firstMagic).join('/'))}$`);
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, r);
      else if (re.test(r)) out.push(p);
    }
  };
  walk(base, '');
  return out.sort();
}

function globToRegex(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more directories.
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) re += '\\[';
      else {
        re += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((a) => a.replace(/[.+^$()|\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  return re;
}
