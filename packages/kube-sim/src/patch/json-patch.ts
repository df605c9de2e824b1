import { ApiError } from '../types';

type Json = unknown;
type Container = Record<string, Json> | Json[];

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: Json;
  from?: string;
}

function invalid(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw invalid(`the path "${pointer}" is not a JSON pointer`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Walks to the parent of the pointer's last token; the API server fails a patch whose parent is missing. */
function parentOf(doc: Json, tokens: string[], pointer: string): { parent: Container; key: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(t)];
    else if (cur && typeof cur === 'object') cur = (cur as Record<string, Json>)[t];
    else cur = undefined;
    if (cur === undefined || cur === null || typeof cur !== 'object') {
      throw invalid(`doc is missing path: "${pointer}": missing value`);
    }
  }
  return { parent: cur as Container, key: tokens[tokens.length - 1] };
}

function arrayIndex(arr: Json[], key: string, pointer: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw invalid(`Unable to access invalid index: ${key}: "${pointer}"`);
  const i = Number(key);
  if (i > arr.length || (!forAdd && i === arr.length))
    throw invalid(`Unable to access invalid index: ${i}: "${pointer}"`);
  return i;
}

function getAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (!tokens.length) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  const v = Array.isArray(parent) ? parent[arrayIndex(parent, key, pointer, false)] : parent[key];
  if (v === undefined) throw invalid(`doc is missing path: "${pointer}": missing value`);
  return v;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent.splice(arrayIndex(parent, key, pointer, false), 1)[0];
  if (!(key in parent)) throw invalid(`Unable to remove nonexistent key: ${key}: missing value`);
  const v = parent[key];
  delete parent[key];
  return v;
}

function addAt(doc: Json, pointer: string, value: Json): Json {
  const tokens = parsePointer(pointer);
  if (!tokens.length) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, pointer, true), 0, value);
  else parent[key] = value;
  return doc;
}

/** Applies an RFC 6902 JSON patch (`application/json-patch+json`), returning the new document. */
export function applyJsonPatch(original: Json, ops: unknown): Json {
  if (!Array.isArray(ops))
    throw new ApiError(
      400,
      'BadRequest',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
    );
  let doc = structuredClone(original);
  for (const op of ops as JsonPatchOp[]) {
    const value = structuredClone(op.value);
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, value);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'replace': {
        const tokens = parsePointer(op.path);
        if (!tokens.length) {
          doc = value;
          break;
        }
        getAt(doc, op.path);
        const { parent, key } = parentOf(doc, tokens, op.path);
        if (Array.isArray(parent)) parent[arrayIndex(parent, key, op.path, false)] = value;
        else parent[key] = value;
        break;
      }
      case 'move': {
        const v = removeAt(doc, op.from ?? '');
        doc = addAt(doc, op.path, v);
        break;
      }
      case 'copy':
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(value)) {
          throw invalid(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new ApiError(400, 'BadRequest', `Unexpected kind: ${String((op as { op: unknown }).op)}`);
    }
  }
  return doc;
}

/** Applies an RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge, null deletes, the rest replaces. */
export function applyMergePatch(original: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const base: Record<string, Json> =
    original && typeof original === 'object' && !Array.isArray(original)
      ? structuredClone(original as Record<string, Json>)
      : {};
  for (const [k, v] of Object.entries(patch as Record<string, Json>)) {
    if (v === null) delete base[k];
    else base[k] = applyMergePatch(base[k], v);
  }
  return base;
}
