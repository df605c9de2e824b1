/** The parts of a Node the readiness decision reads. */
export interface NodeLike {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface Readiness {
  done: boolean;
  /** What is still awaited (or what is ready), for the log and for a timeout's error. */
  message: string;
  notReady: string[];
}

/**
 * Are all nodes registered and Ready? Pure, like kubectl's status viewers: "still waiting" is a value.
 * A node is Ready when its Ready condition is True, exactly as `kubectl wait --for=condition=Ready` reads it.
 */
export function nodesReadiness(nodes: NodeLike[], expected: number): Readiness {
  const notReady: string[] = [];
  const why: string[] = [];
  for (const n of nodes) {
    const c = n.status?.conditions?.find((x) => x.type === 'Ready');
    if (c?.status === 'True') continue;
    notReady.push(n.metadata.name);
    why.push(
      c
        ? `${n.metadata.name} (${c.reason || `Ready=${c.status}`})`
        : `${n.metadata.name} (no Ready condition yet)`,
    );
  }
  if (nodes.length < expected)
    return {
      done: false,
      message:
        `waiting for nodes to register: ${nodes.length} of ${expected}` +
        (why.length ? `; not Ready: ${why.join(', ')}` : ''),
      notReady,
    };
  if (notReady.length)
    return {
      done: false,
      message: `waiting for ${notReady.length} of ${nodes.length} nodes to be Ready: ${why.join(', ')}`,
      notReady,
    };
  return { done: true, message: `all ${nodes.length} nodes are Ready`, notReady };
}
