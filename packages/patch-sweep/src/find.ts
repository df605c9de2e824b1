import {
  LineCounter,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';

/** One image reference found in a file, with where its text is, so it can be rewritten in place. */
export interface ImageSite {
  file: string;
  /** 1-based line of the value. */
  line: number;
  /** `nginx:1.25.3`, or `repo:tag` assembled from a Helm `{repository, tag}` / kustomize `{name, newTag}`. */
  image: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** How the tag is written, so the edit touches only it. */
  kind: 'image' | 'helm' | 'kustomize';
  /** Source offsets of the scalar that holds the tag (the whole `image:` value for kind image). */
  range: [number, number];
  /** The kustomize entry's digest scalar, when it has one. */
  digestRange?: [number, number];
}

/** `repo[:tag][@digest]`, with registry ports (`localhost:5000/app:1.0`) kept in the repository. */
export function splitImage(ref: string): { repository: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) [rest, digest] = [rest.slice(0, at), rest.slice(at + 1)];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

const scalarString = (n: unknown): n is Scalar<string> => isScalar(n) && typeof n.value === 'string';

/**
 * Every image reference in a YAML stream: `image:` string fields wherever they are (Pods, workload
 * templates, CronJobs, init and ephemeral containers, Helm values written as `image: "repo:tag"`), Helm's
 * `image: {repository, tag}` maps, and a kustomization's `images:` entries (`newTag`, `digest`).
 */
export function findImages(text: string, file: string): ImageSite[] {
  const lines = new LineCounter();
  const sites: ImageSite[] = [];
  const lineOf = (offset: number) => lines.linePos(offset).line;
  for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
    if (doc.errors.length > 0) continue; // a file kubectl cannot read is not ours to edit
    const root = doc.contents;
    const isKustomization =
      isMap(root) &&
      scalarString(root.get('kind', true)) &&
      (root.get('kind', true) as Scalar).value === 'Kustomization';
    const visit = (node: Node | null | undefined, underKustomizeImages: boolean): void => {
      if (isSeq(node)) {
        for (const item of node.items) {
          if (underKustomizeImages && isMap(item)) {
            const name = item.get('name', true);
            const newName = item.get('newName', true);
            const newTag = item.get('newTag', true);
            const digest = item.get('digest', true);
            if (scalarString(name) && isScalar(newTag) && newTag.range) {
              const repository = scalarString(newName) ? newName.value : name.value;
              const tag = String(newTag.value);
              sites.push({
                file,
                line: lineOf(newTag.range[0]),
                image: `${repository}:${tag}`,
                repository,
                tag,
                digest: scalarString(digest) ? digest.value : undefined,
                kind: 'kustomize',
                range: [newTag.range[0], newTag.range[1]],
                digestRange:
                  scalarString(digest) && digest.range ? [digest.range[0], digest.range[1]] : undefined,
              });
            }
          } else visit(item as Node, false);
        }
        return;
      }
      if (!isMap(node)) return;
      for (const pair of node.items as Pair<Node, Node>[]) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const value = pair.value;
        if (key === 'image' && scalarString(value) && value.range && value.value.trim() !== '') {
          const parts = splitImage(value.value.trim());
          sites.push({
            file,
            line: lineOf(value.range[0]),
            image: value.value.trim(),
            ...parts,
            kind: 'image',
            range: [value.range[0], value.range[1]],
          });
          continue;
        }
        if (key === 'image' && isMap(value)) {
          const repository = value.get('repository', true);
          const tag = value.get('tag', true);
          if (
            scalarString(repository) &&
            isScalar(tag) &&
            tag.range &&
            tag.value !== null &&
            tag.value !== ''
          ) {
            const t = String(tag.value);
            const registry = value.get('registry', true);
            const repo =
              scalarString(registry) && registry.value
                ? `${registry.value}/${repository.value}`
                : repository.value;
            sites.push({
              file,
              line: lineOf(tag.range[0]),
              image: `${repo}:${t}`,
              repository: repo,
              tag: t,
              kind: 'helm',
              range: [tag.range[0], tag.range[1]],
            });
            continue;
          }
        }
        visit(value, isKustomization && key === 'images' && node === root);
      }
    };
    visit(root, false);
  }
  return sites;
}
