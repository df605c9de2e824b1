// One-off: derives the compact wire schema (message → field number → JSON name and type) that the
// simulator's protobuf decoder uses, from the generated.proto files of k8s.io/api and k8s.io/apimachinery.
// Usage: node extract-schema.mjs <k8s.io/api checkout> <k8s.io/apimachinery checkout> > schema.json (then wrapped as schema.ts)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiDir, machineryDir] = process.argv.slice(2);
const files = [
  ...[
    'core/v1',
    'apps/v1',
    'batch/v1',
    'networking/v1',
    'coordination/v1',
    'policy/v1',
    'autoscaling/v1',
    'autoscaling/v2',
    'rbac/v1',
    'discovery/v1',
  ].map((d) => join(apiDir, d, 'generated.proto')),
  ...['pkg/apis/meta/v1', 'pkg/runtime', 'pkg/util/intstr', 'pkg/api/resource'].map((d) =>
    join(machineryDir, d, 'generated.proto'),
  ),
];

const messages = {};
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const pkg = /^package ([\w.]+);/m.exec(text)[1];
  let current;
  for (const line of text.split('\n')) {
    const m = /^message (\w+) \{/.exec(line);
    if (m) {
      current = `${pkg}.${m[1]}`;
      messages[current] = [];
      continue;
    }
    if (line === '}') current = undefined;
    if (!current) continue;
    const f = /^\s+(optional|repeated) ([\w.]+) (\w+) = (\d+);/.exec(line);
    const mp = /^\s+map<(\w+), ?([\w.]+)> (\w+) = (\d+);/.exec(line);
    const resolve = (t) => (t.startsWith('.') ? t.slice(1) : /^[A-Z]/.test(t) ? `${pkg}.${t}` : t);
    if (f) messages[current].push([Number(f[4]), f[3], resolve(f[2]), f[1] === 'repeated' ? 'r' : 'o']);
    else if (mp) messages[current].push([Number(mp[4]), mp[3], resolve(mp[2]), 'm']);
  }
}
process.stdout.write(JSON.stringify(messages));
