// Extracts the API lifecycle of every pre-release Kubernetes API (alpha and beta group/versions) from
// k8s.io/api's generated `zz_generated.prerelease-lifecycle.go` files, across release tags, and merges
// the hand-curated facts of data/curated.json (migration-guide availability, CRD ecosystems, notes).
//
//   node packages/deprecations/scripts/extract-lifecycle.mjs <git dir of a kubernetes/api clone>
//
// writes packages/deprecations/data/apis.json. The markers are what the API server itself uses to
// send deprecation warnings and to stop serving a version, so they are the source of truth; where
// pluto or kube-no-trouble say otherwise, curated.json records the difference and why.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const gitDir = process.argv[2];
if (!gitDir) {
  console.error('usage: extract-lifecycle.mjs <kubernetes/api git dir>');
  process.exit(1);
}
const git = (...args) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });

// Release tags from 1.19 (the first with markers) to the newest, oldest first; later tags win.
const tags = git('tag', '--list', 'kubernetes-1.*')
  .split('\n')
  .filter((t) => /^kubernetes-1\.\d+\.\d+$/.test(t))
  .map((t) => ({ tag: t, v: t.slice('kubernetes-'.length).split('.').map(Number) }))
  .filter((t) => t.v[1] >= 19)
  .sort((a, b) => a.v[1] - b.v[1] || a.v[2] - b.v[2]);
const newestPerMinor = new Map();
for (const t of tags) newestPerMinor.set(t.v[1], t);
const releases = [...newestPerMinor.values()];
const newest = releases.at(-1);

// Groups that are not objects anyone writes in a manifest: webhook payloads and discovery documents.
const skipDirs = new Set(['admission', 'apidiscovery', 'imagepolicy']);

const curated = JSON.parse(readFileSync(path.join(here, '..', 'data', 'curated.json'), 'utf8'));
const curatedExclude = new Set(curated.exclude);
const found = new Map();
for (const rel of releases) {
  const files = git('ls-tree', '-r', '--name-only', rel.tag)
    .split('\n')
    .filter((f) => f.endsWith('/zz_generated.prerelease-lifecycle.go'));
  for (const file of files) {
    const dir = path.dirname(file);
    const [groupDir, version] = dir.split('/');
    if (skipDirs.has(groupDir) || /^v\d+$/.test(version)) continue;
    const register = git('show', `${rel.tag}:${dir}/register.go`);
    const group = /const GroupName = "([^"]*)"/.exec(register)[1];
    const apiVersion = group ? `${group}/${version}` : version;
    const src = git('show', `${rel.tag}:${file}`);
    const kinds = new Map();
    const re = /func \(in \*(\w+)\) APILifecycle(\w+)\(\)[^{]*\{\s*return ([^\n]+)\n/g;
    for (let m; (m = re.exec(src));) {
      const [, kind, what, ret] = m;
      if (kind.endsWith('List') || curatedExclude.has(kind)) continue;
      const k = kinds.get(kind) ?? {};
      if (what === 'Replacement') {
        const r = /Group: "([^"]*)", Version: "([^"]*)", Kind: "([^"]*)"/.exec(ret);
        k.replacement = { apiVersion: r[1] ? `${r[1]}/${r[2]}` : r[2], kind: r[3] };
      } else {
        const [maj, min] = ret.split(',').map((s) => Number(s.trim()));
        k[what.toLowerCase()] = `${maj}.${min}`;
      }
      kinds.set(kind, k);
    }
    for (const [kind, k] of kinds)
      found.set(`${apiVersion}|${kind}`, { apiVersion, kind, ...k, source: `k8s.io/api ${rel.tag} ${file}` });
  }
}

// Availability of a replacement: its own `introduced` marker when it has one (GA types carry them
// since about 1.29), else the migration guide's "available since" (curated.json).
const introducedGA = new Map();
for (const file of git('ls-tree', '-r', '--name-only', newest.tag)
  .split('\n')
  .filter((f) => f.endsWith('/zz_generated.prerelease-lifecycle.go'))) {
  const dir = path.dirname(file);
  const register = git('show', `${newest.tag}:${dir}/register.go`);
  const group = /const GroupName = "([^"]*)"/.exec(register)[1];
  const version = dir.split('/')[1];
  const apiVersion = group ? `${group}/${version}` : version;
  const src = git('show', `${newest.tag}:${file}`);
  for (const m of src.matchAll(/func \(in \*(\w+)\) APILifecycleIntroduced\(\)[^{]*\{\s*return 1, (\d+)/g))
    introducedGA.set(`${apiVersion}|${m[1]}`, `1.${m[2]}`);
}

const entries = [];
for (const e of [...found.values()].sort((a, b) =>
  `${a.apiVersion}|${a.kind}`.localeCompare(`${b.apiVersion}|${b.kind}`),
)) {
  if (!e.removed && !e.deprecated) continue;
  const key = `${e.apiVersion}/${e.kind}`;
  const over = curated.kubernetes[key] ?? {};
  const repl = over.replacement === undefined ? e.replacement : over.replacement;
  const replacement = repl ? (typeof repl === 'string' ? repl : `${repl.apiVersion}/${repl.kind}`) : null;
  const replKey = repl && typeof repl !== 'string' ? `${repl.apiVersion}|${repl.kind}` : null;
  entries.push({
    component: 'kubernetes',
    apiVersion: e.apiVersion,
    kind: e.kind,
    introducedIn: e.introduced ?? null,
    deprecatedIn: over.deprecatedIn ?? e.deprecated ?? null,
    removedIn: over.removedIn ?? e.removed ?? null,
    replacement,
    replacementAvailableIn:
      over.replacementAvailableIn ??
      (replKey ? (introducedGA.get(replKey) ?? found.get(replKey)?.introduced) : null) ??
      null,
    source: e.source,
    ...(over.notes ? { notes: over.notes } : {}),
  });
}
for (const key of Object.keys(curated.kubernetes))
  if (!entries.some((e) => `${e.apiVersion}/${e.kind}` === key))
    throw new Error(`curated.json names ${key}, which k8s.io/api does not have`);

const out = {
  description:
    'Deprecated and removed API versions. Kubernetes entries are extracted from k8s.io/api prerelease-lifecycle markers by scripts/extract-lifecycle.mjs; do not edit them by hand, edit curated.json and re-run.',
  generatedFrom: `kubernetes/api ${newest.tag} (and older release tags for API versions since deleted)`,
  latestKubernetes: `${newest.v[0]}.${newest.v[1]}`,
  notes: curated.notes,
  components: {
    ...curated.components,
    kubernetes: { ...curated.components.kubernetes, latest: `${newest.v[0]}.${newest.v[1]}` },
  },
  apis: [...entries, ...curated.crds],
};
writeFileSync(path.join(here, '..', 'data', 'apis.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`${entries.length} Kubernetes entries, ${curated.crds.length} CRD entries, newest ${newest.tag}`);
