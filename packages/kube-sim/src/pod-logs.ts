/**
 * Per-container log buffers behind the pods' `log` subresource. Controllers (the simulated kubelet) append
 * lines; `kubectl logs` and `logs -f` read them back. Followers are told about each new line.
 */
export interface LogLine {
  time: string;
  text: string;
}

type Follower = (line: LogLine) => void;

export class PodLogs {
  private readonly buffers = new Map<string, LogLine[]>();
  private readonly followers = new Map<string, Set<Follower>>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly maxLines = 10_000,
  ) {}

  private static key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** Matches the controllers' `PodLogSink`: one line (without trailing newline) from one container. */
  append(namespace: string, pod: string, container: string, line: string): void {
    const k = PodLogs.key(namespace, pod, container);
    let buf = this.buffers.get(k);
    if (!buf) this.buffers.set(k, (buf = []));
    const entry = { time: this.now().toISOString(), text: line };
    buf.push(entry);
    if (buf.length > this.maxLines) buf.splice(0, buf.length - this.maxLines);
    for (const f of this.followers.get(k) ?? []) f(entry);
  }

  read(namespace: string, pod: string, container: string): LogLine[] {
    return [...(this.buffers.get(PodLogs.key(namespace, pod, container)) ?? [])];
  }

  follow(namespace: string, pod: string, container: string, fn: Follower): () => void {
    const k = PodLogs.key(namespace, pod, container);
    let set = this.followers.get(k);
    if (!set) this.followers.set(k, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /** Drops a pod's logs (the pod is gone). */
  forget(namespace: string, pod: string): void {
    for (const k of [...this.buffers.keys()])
      if (k.startsWith(`${namespace}/${pod}/`)) this.buffers.delete(k);
  }
}
