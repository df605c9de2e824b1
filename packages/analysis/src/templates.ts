import { ConfigurationError } from '@upgrade-actions/common';

/**
 * The variables a check may use, as Flagger's metric templates name them: `{{ namespace }}`, `{{ target }}`
 * (the workload under analysis: the canary, or the green colour), `{{ stable }}` (the workload serving
 * today) and `{{ interval }}` (the analysis interval as a PromQL duration, e.g. `30s`).
 */
export interface AnalysisVars {
  namespace: string;
  target: string;
  stable: string;
  interval: string;
}

const VARIABLE = /\{\{\s*([A-Za-z_][\w]*)\s*\}\}/g;

/** Replaces every `{{ name }}`; an unknown name is a ConfigurationError naming `where` and the accepted names. */
export function renderTemplate(text: string, vars: AnalysisVars, where: string): string {
  return text.replace(VARIABLE, (_, name: string) => {
    if (Object.prototype.hasOwnProperty.call(vars, name)) return vars[name as keyof AnalysisVars];
    throw new ConfigurationError(
      `${where}: unknown template variable {{ ${name} }}; use {{ namespace }}, {{ target }}, {{ stable }} or {{ interval }}`,
    );
  });
}

/** Milliseconds as the shortest PromQL duration that says it (`90000` → `90s`, `300000` → `5m`). */
export function promDuration(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}

/**
 * Label matchers for the pods of one Deployment: `<name>-<pod-template-hash>-<suffix>`. Anchored as PromQL
 * regexes are, so `web` does not match the pods of `web-canary`.
 */
export function deploymentPodMatcher(name: string): string {
  return `pod=~"${name.replace(/[.\\]/g, '\\\\$&')}-[a-z0-9]+-[a-z0-9]+"`;
}
