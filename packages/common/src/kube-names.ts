import { ConfigurationError } from './errors';

/**
 * The value checks of Kubernetes' apimachinery (pkg/util/validation), with its messages word for word, so
 * a value we refuse reads exactly as the API server would have refused it, and before anything is written.
 * Each returns the list of problems upstream would report; an empty list means valid. Kept here, beside
 * the toolkit, because every action's inputs are checked with them before any engine is loaded.
 */

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const whole = (fmt: string) => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = whole(DNS1123_LABEL);
const DNS1123_SUBDOMAIN_RE = whole(DNS1123_SUBDOMAIN);
const QUALIFIED_NAME_RE = whole(QUALIFIED_NAME);
const LABEL_VALUE_RE = whole(LABEL_VALUE);

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const QUALIFIED_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
/** The API server's limit on all annotations of one object together (keys and values). */
export const TOTAL_ANNOTATION_SIZE_MAX = 256 * 1024;

/** Upstream's RegexError: the message, its examples, and the pattern. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  const e = examples.length ? `e.g. ${examples.map((x) => `'${x}'`).join(',  or ')}, ` : '';
  return `${msg} (${e}regex used for validation is '${fmt}')`;
}
const maxLen = (n: number) => `must be no more than ${n} characters`;

/** A DNS-1123 label: namespaces, Services, most generated names (at most 63, no dots). */
export function dns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_LABEL_MAX) errs.push(maxLen(DNS1123_LABEL_MAX));
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          DNS1123_LABEL,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

/** A DNS-1123 subdomain: the names of most objects (Deployments, Ingresses, Jobs; at most 253). */
export function dns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) errs.push(maxLen(DNS1123_SUBDOMAIN_MAX));
  if (!DNS1123_SUBDOMAIN_RE.test(value))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        DNS1123_SUBDOMAIN,
        'example.com',
      ),
    );
  return errs;
}

/** A qualified name: label keys and annotation keys, `[prefix/]name`. */
export function qualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const [prefix] = parts;
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of dns1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        'MyName',
        'my.name',
        '123-abc',
      )} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLen(QUALIFIED_NAME_MAX)}`);
  if (!QUALIFIED_NAME_RE.test(name))
    errs.push(
      `name part ${regexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        QUALIFIED_NAME,
        'MyName',
        'my.name',
        '123-abc',
      )}`,
    );
  return errs;
}

/** A label value: empty, or at most 63 of the qualified-name alphabet. */
export function labelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > LABEL_VALUE_MAX) errs.push(maxLen(LABEL_VALUE_MAX));
  if (!LABEL_VALUE_RE.test(value))
    errs.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        'MyValue',
        'my_value',
        '12345',
      ),
    );
  return errs;
}

/** Annotations of one object: every key a qualified name, and their total size within the API server's limit. */
export function annotations(values: Record<string, string>): string[] {
  const errs: string[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(values)) {
    for (const m of qualifiedName(k.toLowerCase())) errs.push(`${k}: ${m}`);
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > TOTAL_ANNOTATION_SIZE_MAX)
    errs.push(`may not have more than ${TOTAL_ANNOTATION_SIZE_MAX} bytes (total annotations size)`);
  return errs;
}

export type KubeNameRule = 'label' | 'subdomain';

/**
 * What an input must be for the objects it names, in one sentence for an error: the name rule
 * (`label`, `subdomain`), and the suffixes our engines append to make other objects' names from it
 * (`-canary`, `-preview`), so a name that is valid alone but not with its suffix is refused too.
 */
export function kubeNameProblem(
  value: string,
  rule: KubeNameRule,
  what: string,
  suffixes: string[] = [],
): string | undefined {
  const check = rule === 'label' ? dns1123Label : dns1123Subdomain;
  const kind = rule === 'label' ? 'DNS-1123 label' : 'DNS-1123 subdomain';
  const own = check(value);
  if (own.length) return `must be ${what} (a ${kind}): ${own.join(', ')}`;
  for (const suffix of suffixes) {
    const made = check(value + suffix);
    if (made.length)
      return `must be ${what} short enough that "${value}${suffix}" is a ${kind} too: ${made.join(', ')}`;
  }
  return undefined;
}

/**
 * At an engine's boundary, before any write: the name of an object we are about to create or name, as
 * `input: …` so the action or the CLI (which maps `input:` to its flag) says which value to change.
 */
export function checkKubeName(
  input: string,
  value: string,
  rule: KubeNameRule,
  what: string,
  suffixes: string[] = [],
): void {
  const problem = kubeNameProblem(value, rule, what, suffixes);
  if (problem) throw new ConfigurationError(`${input}: ${JSON.stringify(value)} ${problem}`);
}

/** The `change-cause` inputs: recorded as the kubernetes.io/change-cause annotation, so within its size limit. */
export function changeCauseProblem(value: string): string | undefined {
  const errs = annotations({ 'kubernetes.io/change-cause': value });
  return errs.length ? `must fit in an annotation: ${errs.join(', ')}` : undefined;
}

/**
 * One entry of a `workloads` input, `TYPE/NAME` or `NAMESPACE/TYPE/NAME`: its names as the API server
 * takes them (the namespace a DNS-1123 label, the name a subdomain); TYPE is the engine's to resolve.
 */
export function workloadRefProblem(entry: string): string | undefined {
  const parts = entry.split('/');
  if (parts.length < 2 || parts.length > 3)
    return 'must be TYPE/NAME or NAMESPACE/TYPE/NAME (TYPE deployment, statefulset or daemonset)';
  const [ns, , name] = parts.length === 3 ? parts : ['', ...parts];
  if (parts.length === 3) {
    const p = kubeNameProblem(ns, 'label', 'a namespace name');
    if (p) return `namespace ${p}`;
  }
  const p = kubeNameProblem(name, 'subdomain', 'a workload name');
  return p ? `name ${p}` : undefined;
}

/** Kinds whose names are DNS-1123 labels (they become DNS names or are used in other objects' names). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);

/**
 * The metadata problems the API server would refuse an object for, in its field paths
 * (`metadata.labels: Invalid value: "a/b": …`): name, namespace, label keys and values, annotation keys
 * and size. Checked for every object before the first write, so a bad third object does not leave the
 * first two applied.
 */
export function objectMetaProblems(obj: {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}): string[] {
  const out: string[] = [];
  const bad = (field: string, value: string, msgs: string[]) => {
    for (const m of msgs) out.push(`${field}: Invalid value: ${JSON.stringify(value)}: ${m}`);
  };
  const meta = obj.metadata ?? {};
  if (meta.name)
    bad(
      'metadata.name',
      meta.name,
      LABEL_NAMED.has(obj.kind ?? '') ? dns1123Label(meta.name) : dns1123Subdomain(meta.name),
    );
  if (meta.namespace) bad('metadata.namespace', meta.namespace, dns1123Label(meta.namespace));
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    bad('metadata.labels', k, qualifiedName(k));
    bad('metadata.labels', String(v), labelValue(String(v)));
  }
  for (const m of annotations(meta.annotations ?? {})) out.push(`metadata.annotations: ${m}`);
  return out;
}
