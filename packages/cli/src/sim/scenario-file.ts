import { ConfigurationError } from '@upgrade-actions/common';
import { validateBehaviour, type PodBehaviour } from '@upgrade-actions/kube-sim';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';

/**
 * Reads `upgrade-actions sim --scenario FILE`: one YAML mapping from image patterns to pod behaviour,
 * exactly the scenario table of docs/kube-sim.md. Every entry is checked before the simulator starts;
 * an error names the file, the line, the image pattern and the field.
 */
export function parseScenarioFile(text: string, fileName: string): Record<string, PodBehaviour> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return fileName;
    const { line, col } = lines.linePos(offset);
    return `${fileName}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigurationError(`--scenario: ${at(e.pos[0])}: ${e.message.split('\n')[0]}`);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    throw new ConfigurationError(
      `--scenario: ${at(doc.contents.range?.[0])}: expected a mapping from image patterns to pod behaviour, ` +
        `e.g. "ghcr.io/acme/web:2.0.0: { ready: false }"`,
    );
  }
  const scenario: Record<string, PodBehaviour> = {};
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? pair.key : undefined;
    const pattern = key ? String(key.value ?? '') : '';
    if (!pattern)
      throw new ConfigurationError(
        `--scenario: ${at(key?.range?.[0])}: an image pattern must be a non-empty string`,
      );
    const value = (pair.value as { toJSON?: () => unknown } | null)?.toJSON?.() ?? pair.value;
    try {
      scenario[pattern] = validateBehaviour(pattern, value ?? {});
    } catch (e) {
      const where = at((pair.value as { range?: number[] } | null)?.range?.[0] ?? key?.range?.[0]);
      throw new ConfigurationError(`--scenario: ${where}: ${(e as Error).message}`);
    }
  }
  return scenario;
}
