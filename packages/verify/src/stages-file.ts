import { ConfigurationError, parseDuration } from '@upgrade-actions/common';
import { parse as parseYaml } from 'yaml';
import type { Stage } from './staged-rollout';

/**
 * The stages file: `stages: [{name, kubeconfig, context?, soak, timeout?}]`, soak and timeout durations
 * (`30m`, `1800s`, `0`) read by the parser every other duration input uses. Everything is checked here,
 * before any stage is touched; an error names the stage and the field.
 */
export function parseStages(text: string, what = 'stages'): Stage[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigurationError(`${what}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const list = (doc as { stages?: unknown })?.stages;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigurationError(`${what}: give "stages:", a list of {name, kubeconfig, soak}`);
  const names = new Set<string>();
  return list.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    if (typeof s?.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(s.name))
      throw new ConfigurationError(
        `${what}[${i}].name: a stage name (lowercase letters, digits, -), e.g. development`,
      );
    if (names.has(s.name)) throw new ConfigurationError(`${what}[${i}].name: "${s.name}" is listed twice`);
    names.add(s.name);
    const where = `${what}[${i}] (${s.name})`;
    if (typeof s.kubeconfig !== 'string' || !s.kubeconfig)
      throw new ConfigurationError(`${where}.kubeconfig: the path of the stage's kubeconfig`);
    const known = new Set(['name', 'kubeconfig', 'context', 'soak', 'timeout']);
    const unknown = Object.keys(s).find((k) => !known.has(k));
    if (unknown)
      throw new ConfigurationError(
        `${where}.${unknown}: not a stage field; a stage has ${[...known].join(', ')}`,
      );
    return {
      name: s.name,
      kubeconfig: s.kubeconfig,
      ...(typeof s.context === 'string' ? { context: s.context } : {}),
      soakMs: parseDuration(String(s.soak ?? '0s'), `${where}.soak`),
      // Absent: the run's default (the CLI's --timeout). 0: no limit, as deploy's timeout input.
      ...(s.timeout !== undefined && s.timeout !== null
        ? { timeoutMs: parseDuration(String(s.timeout), `${where}.timeout`) }
        : {}),
    };
  });
}
