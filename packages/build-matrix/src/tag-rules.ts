import { ConfigurationError } from '@upgrade-actions/common';
import type { BuildContext } from './context';

/**
 * One line of the `tags` input in docker/metadata-action's syntax: `type=sha`, `type=ref,event=branch|pr|tag`,
 * `type=semver,pattern={{version}}`, `type=raw,value=…`, with `prefix=`, `suffix=` and `enable=`; a plain
 * value (`1.4.2`) is `type=raw,value=1.4.2`.
 */
export type TagRule =
  | { type: 'sha'; format: 'short' | 'long'; prefix: string; suffix: string; enable: boolean }
  | { type: 'ref'; event: 'branch' | 'pr' | 'tag'; prefix: string; suffix: string; enable: boolean }
  | { type: 'semver'; pattern: string; value?: string; prefix: string; suffix: string; enable: boolean }
  | { type: 'raw'; value: string; prefix: string; suffix: string; enable: boolean };

const TAG = /^[\w][\w.-]{0,127}$/;

function splitAttributes(line: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  // Values may contain commas inside {{ }} or quotes; split on commas outside them.
  let depth = 0;
  let quote = false;
  let cur = '';
  const parts: string[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quote = !quote;
    if (!quote && line.startsWith('{{', i)) depth++;
    if (!quote && line.startsWith('}}', i)) depth = Math.max(0, depth - 1);
    if (c === ',' && depth === 0 && !quote) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq < 0) throw new ConfigurationError(`tags: "${p.trim()}" in "${line}" is not key=value`);
    attrs[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return attrs;
}

const KNOWN: Record<string, string[]> = {
  sha: ['format'],
  ref: ['event'],
  semver: ['pattern', 'value'],
  raw: ['value'],
};

export function parseTagRule(line: string): TagRule {
  const text = line.trim();
  if (!text.includes('=')) return { type: 'raw', value: text, prefix: '', suffix: '', enable: true };
  const a = splitAttributes(text);
  const type = a.type;
  if (!type || !(type in KNOWN)) {
    throw new ConfigurationError(
      `tags: "${text}": type must be one of sha, ref, semver, raw (docker/metadata-action's syntax; schedule, edge and match are not supported)`,
    );
  }
  for (const k of Object.keys(a)) {
    if (!['type', 'prefix', 'suffix', 'enable', 'priority', ...KNOWN[type]].includes(k)) {
      throw new ConfigurationError(`tags: "${text}": unknown attribute "${k}" for type=${type}`);
    }
  }
  if (a.enable !== undefined && !['true', 'false'].includes(a.enable)) {
    throw new ConfigurationError(`tags: "${text}": enable must be true or false`);
  }
  const common = { prefix: a.prefix ?? '', suffix: a.suffix ?? '', enable: a.enable !== 'false' };
  switch (type) {
    case 'sha': {
      const format = a.format ?? 'short';
      if (format !== 'short' && format !== 'long')
        throw new ConfigurationError(`tags: "${text}": format must be short or long`);
      return { type, format, ...common, prefix: a.prefix ?? 'sha-' };
    }
    case 'ref': {
      const event = a.event;
      if (event !== 'branch' && event !== 'pr' && event !== 'tag') {
        throw new ConfigurationError(`tags: "${text}": event must be branch, pr or tag`);
      }
      return { type, event, ...common, prefix: a.prefix ?? (event === 'pr' ? 'pr-' : '') };
    }
    case 'semver': {
      if (!a.pattern)
        throw new ConfigurationError(
          `tags: "${text}": type=semver needs pattern= (e.g. {{version}}, {{major}}.{{minor}})`,
        );
      if (!/\{\{\s*(version|major|minor|patch)\s*\}\}/.test(a.pattern)) {
        throw new ConfigurationError(
          `tags: "${text}": pattern uses none of {{version}}, {{major}}, {{minor}}, {{patch}}`,
        );
      }
      return { type, pattern: a.pattern, value: a.value, ...common };
    }
    default: {
      if (!a.value) throw new ConfigurationError(`tags: "${text}": type=raw needs value=`);
      return { type: 'raw', value: a.value, ...common };
    }
  }
}

interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease?: string;
  build?: string;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;

export function parseSemver(text: string): SemVer | undefined {
  const m = SEMVER.exec(text.trim());
  if (!m) return undefined;
  return { major: +m[1], minor: +m[2], patch: +m[3], prerelease: m[4], build: m[5] };
}

/** docker/metadata-action sanitises branch names: anything outside [\w.-] becomes `-`. */
export function sanitizeTag(s: string): string {
  return s.replace(/[^\w.-]/g, '-').replace(/^[.-]+/, '');
}

/** The tags one rule yields in this context (none when it does not apply, as metadata-action skips it). */
export function evaluateRule(rule: TagRule, ctx: BuildContext): string[] {
  if (!rule.enable) return [];
  const wrap = (v: string) => `${rule.prefix}${v}${rule.suffix}`;
  switch (rule.type) {
    case 'raw':
      return [wrap(rule.value)];
    case 'sha': {
      const sha = ctx.eventName === 'pull_request' && ctx.prHeadSha ? ctx.prHeadSha : ctx.sha;
      if (!sha) return [];
      return [wrap(rule.format === 'long' ? sha : sha.slice(0, 7))];
    }
    case 'ref': {
      if (rule.event === 'branch' && ctx.ref.startsWith('refs/heads/'))
        return [wrap(sanitizeTag(ctx.ref.slice(11)))];
      if (rule.event === 'tag' && ctx.ref.startsWith('refs/tags/'))
        return [wrap(sanitizeTag(ctx.ref.slice(10)))];
      if (rule.event === 'pr' && ctx.prNumber !== undefined && /^refs\/pull\//.test(ctx.ref))
        return [wrap(String(ctx.prNumber))];
      return [];
    }
    case 'semver': {
      const source = rule.value ?? (ctx.ref.startsWith('refs/tags/') ? ctx.ref.slice(10) : undefined);
      const v = source ? parseSemver(source) : undefined;
      if (!v) return [];
      // As metadata-action: a pre-release only yields the full {{version}}, never major or minor aliases.
      if (v.prerelease && !/\{\{\s*version\s*\}\}/.test(rule.pattern)) return [];
      const version = `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
      const out = rule.pattern
        .replace(/\{\{\s*version\s*\}\}/g, version)
        .replace(/\{\{\s*major\s*\}\}/g, String(v.major))
        .replace(/\{\{\s*minor\s*\}\}/g, String(v.minor))
        .replace(/\{\{\s*patch\s*\}\}/g, String(v.patch));
      return [wrap(out)];
    }
  }
}

export interface TagResult {
  /** Tags in rule order, without repeats. */
  tags: string[];
  /** The version (metadata-action's `version` output): the first semver tag, else the first tag. */
  version: string;
}

/**
 * Evaluates every rule. `latest` is never added implicitly (metadata-action's `flavor: latest=auto` does not
 * apply), and with `forbidLatest` a rule that yields it fails: production never runs `latest` (SEEDS.md §2).
 */
export function computeTags(lines: string[], ctx: BuildContext, forbidLatest: boolean): TagResult {
  const rules = lines.filter((l) => l.trim() !== '').map(parseTagRule);
  const tags: string[] = [];
  let version = '';
  for (const rule of rules) {
    for (const tag of evaluateRule(rule, ctx)) {
      if (!TAG.test(tag)) {
        throw new ConfigurationError(
          `tags: "${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)`,
        );
      }
      if (forbidLatest && tag === 'latest') {
        throw new ConfigurationError(
          'tags: a rule yields "latest", which forbid-latest refuses: give a version, a sha or a branch tag',
        );
      }
      if (!tags.includes(tag)) tags.push(tag);
      if (!version && rule.type === 'semver') version = tag;
    }
  }
  if (tags.length === 0) {
    throw new ConfigurationError(
      `tags: no rule yields a tag for this run (event ${ctx.eventName || 'unknown'}, ref ${ctx.ref || 'none'}); add type=sha or a raw value`,
    );
  }
  return { tags, version: version || tags[0] };
}
