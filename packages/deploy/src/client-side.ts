import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigurationError, execFile, type Logger } from '@upgrade-actions/common';
import {
  kindGroup,
  orderManifests,
  resourcePath,
  type ApplyAction,
  type ApplyResult,
  type Discovery,
  type KubeClient,
  type KubeObject,
  type Manifest,
} from '@upgrade-actions/kube';

/** How kubectl reaches the cluster: the same kubeconfig file and context the engine uses. */
export interface KubectlAccess {
  kubeconfig?: string;
  context?: string;
  /** The kubectl binary. Default `kubectl` on PATH. */
  kubectl?: string;
}

/**
 * `server-side: false`: kubectl's client-side apply, whose three-way merge with the
 * `last-applied-configuration` annotation is kubectl's own, so kubectl itself does it (no shell:
 * the objects go through a temporary file). Namespaces are filled in first, as the server-side path does.
 */
export async function clientSideApply(
  manifests: Manifest[],
  namespace: string,
  fieldManager: string,
  access: KubectlAccess,
  client: KubeClient,
  discovery: Discovery,
  logger: Logger,
): Promise<ApplyResult[]> {
  const items: { object: KubeObject; display: string; path: string; ns?: string }[] = [];
  for (const m of orderManifests(manifests)) {
    const info = await discovery.forKind(m.object.apiVersion!, m.object.kind!);
    if (!info) {
      throw new ConfigurationError(
        `manifests: ${m.source}: document ${m.document}: the server has no resource for ${m.object.apiVersion} ${m.object.kind}`,
      );
    }
    const object = structuredClone(m.object);
    const ns = info.namespaced ? object.metadata?.namespace || namespace : undefined;
    if (ns) object.metadata = { ...object.metadata, namespace: ns };
    items.push({
      object,
      display: `${kindGroup(info)}/${object.metadata?.name}`,
      path: resourcePath(info, ns, object.metadata?.name),
      ns,
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'deploy-'));
  try {
    const file = path.join(dir, 'objects.json');
    writeFileSync(
      file,
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.map((i) => i.object) }),
    );
    // --validate=false: the server dry run before this already validated every object, and kubectl's
    // own validation needs OpenAPI documents some servers (the simulator among them) do not serve.
    const args = ['apply', '-f', file, '--field-manager', fieldManager, '--validate=false'];
    if (access.kubeconfig) args.push('--kubeconfig', access.kubeconfig);
    if (access.context) args.push('--context', access.context);
    const r = await execFile(access.kubectl ?? 'kubectl', args, { okCodes: [0, 1] });
    const out = r.stdout.toString('utf8');
    if (r.code !== 0) throw new Error(`kubectl apply failed: ${r.stderr.trim() || out.trim()}`);
    logger.debug(out.trim());
    const actions = new Map<string, ApplyAction>();
    for (const line of out.split('\n')) {
      const m = /^(\S+) (created|configured|unchanged)/.exec(line.trim());
      if (m) actions.set(m[1], m[2] as ApplyAction);
    }
    const results: ApplyResult[] = [];
    for (const i of items) {
      const action = actions.get(i.display) ?? 'configured';
      results.push({
        name: i.display,
        namespace: i.ns,
        action,
        object: await client.get(i.path),
        line: `${i.display} ${action}`,
      });
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
