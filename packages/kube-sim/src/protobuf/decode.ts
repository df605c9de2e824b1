import { ApiError } from '../types';
import { SCHEMA, type FieldSpec } from './schema';

/**
 * Decodes the Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`) that kubectl's typed
 * clients send for built-in kinds (`kubectl create deployment`, `run`, `expose`, …) into the JSON shape:
 * the `k8s\0` magic, a `runtime.Unknown` envelope naming apiVersion and kind, then the object itself,
 * read with the field table in `schema.ts`.
 */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/** API group → proto package of its types. */
const PACKAGES: Record<string, string> = {
  '': 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'batch/v1': 'k8s.io.api.batch.v1',
  'networking.k8s.io/v1': 'k8s.io.api.networking.v1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
  'autoscaling/v2': 'k8s.io.api.autoscaling.v2',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'discovery.k8s.io/v1': 'k8s.io.api.discovery.v1',
  'meta.k8s.io/v1': META,
};

/** Pointer fields in the Go types where an explicit 0 means something (other zero values are omitted, as JSON does). */
const KEEP_ZERO = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'ttlSecondsAfterFinished',
  'partition',
  'revisionHistoryLimit',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'gracePeriodSeconds',
]);

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw bad('truncated varint');
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  }
  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw bad('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw bad(`unsupported wire type ${wire}`);
  }
}

function bad(msg: string): ApiError {
  return new ApiError(400, 'BadRequest', `the body of the request could not be decoded as protobuf: ${msg}`);
}

type Any = Record<string, unknown>;

function fields(buf: Buffer): Array<{ no: number; wire: number; r: Reader; raw?: Buffer; v?: bigint }> {
  const r = new Reader(buf);
  const out: Array<{ no: number; wire: number; r: Reader; raw?: Buffer; v?: bigint }> = [];
  while (!r.done) {
    const key = Number(r.varint());
    const no = key >> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, r, v: r.varint() });
    else if (wire === 2) out.push({ no, wire, r, raw: r.bytes() });
    else if (wire === 1) {
      out.push({ no, wire, r, raw: r.buf.subarray(r.pos, r.pos + 8) });
      r.pos += 8;
    } else if (wire === 5) {
      out.push({ no, wire, r, raw: r.buf.subarray(r.pos, r.pos + 4) });
      r.pos += 4;
    } else throw bad(`unsupported wire type ${wire}`);
  }
  return out;
}

const SCALARS = new Set([
  'string',
  'bytes',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'bool',
  'double',
  'float',
  'sint32',
  'sint64',
]);

function scalar(type: string, f: { wire: number; raw?: Buffer; v?: bigint }): unknown {
  switch (type) {
    case 'string':
      return f.raw!.toString('utf8');
    case 'bytes':
      return f.raw!.toString('base64');
    case 'bool':
      return f.v !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, f.v!));
    case 'int64':
      return Number(BigInt.asIntN(64, f.v!));
    case 'uint32':
    case 'uint64':
      return Number(f.v!);
    case 'double':
      return f.raw!.readDoubleLE(0);
    case 'float':
      return f.raw!.readFloatLE(0);
    default:
      throw bad(`unsupported scalar type ${type}`);
  }
}

function packed(type: string, raw: Buffer): unknown[] {
  const r = new Reader(raw);
  const out: unknown[] = [];
  while (!r.done) {
    if (type === 'double') {
      out.push(raw.readDoubleLE(r.pos));
      r.pos += 8;
    } else out.push(scalar(type, { wire: 0, v: r.varint() }));
  }
  return out;
}

function time(buf: Buffer, micro: boolean): string | undefined {
  let seconds = 0;
  let nanos = 0;
  for (const f of fields(buf)) {
    if (f.no === 1) seconds = Number(BigInt.asIntN(64, f.v!));
    if (f.no === 2) nanos = Number(BigInt.asIntN(32, f.v!));
  }
  if (seconds === 0 && nanos === 0) return undefined;
  const iso = new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, '');
  return micro ? `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${iso}Z`;
}

function special(type: string, buf: Buffer): { value: unknown } | undefined {
  switch (type) {
    case `${META}.Time`:
      return { value: time(buf, false) };
    case `${META}.MicroTime`:
      return { value: time(buf, true) };
    case `${META}.Duration`: {
      const ns = Number(BigInt.asIntN(64, fields(buf).find((f) => f.no === 1)?.v ?? 0n));
      return { value: `${ns / 1e9}s` };
    }
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString': {
      const fs = fields(buf);
      const kind = Number(fs.find((f) => f.no === 1)?.v ?? 0n);
      if (kind === 1) return { value: fs.find((f) => f.no === 3)?.raw?.toString('utf8') ?? '' };
      return { value: Number(BigInt.asIntN(32, fs.find((f) => f.no === 2)?.v ?? 0n)) };
    }
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return {
        value:
          fields(buf)
            .find((f) => f.no === 1)
            ?.raw?.toString('utf8') ?? '0',
      };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const raw = fields(buf).find((f) => f.no === 1)?.raw;
      return { value: raw && raw.length ? JSON.parse(raw.toString('utf8')) : undefined };
    }
    default:
      return undefined;
  }
}

function value(type: string, f: { wire: number; raw?: Buffer; v?: bigint }): unknown {
  if (SCALARS.has(type)) return scalar(type, f);
  const s = special(type, f.raw!);
  if (s) return s.value;
  return message(type, f.raw!);
}

function isZero(v: unknown): boolean {
  return v === '' || v === false || v === 0 || v === undefined;
}

function message(type: string, buf: Buffer): Any {
  const spec = SCHEMA[type];
  if (!spec) throw bad(`unknown message type ${type}`);
  const byNo = new Map<number, FieldSpec>(spec.map((s) => [s[0], s]));
  const out: Any = {};
  for (const f of fields(buf)) {
    const s = byNo.get(f.no);
    if (!s) continue;
    const [, name, ftype, mode] = s;
    if (mode === 'm') {
      const entry = fields(f.raw!);
      const k = entry.find((e) => e.no === 1);
      const v = entry.find((e) => e.no === 2);
      const map = (out[name] ??= {}) as Any;
      map[k ? k.raw!.toString('utf8') : ''] = v
        ? value(ftype, v)
        : SCALARS.has(ftype)
          ? ftype === 'string' || ftype === 'bytes'
            ? ''
            : 0
          : {};
    } else if (mode === 'r') {
      const list = (out[name] ??= []) as unknown[];
      if (f.wire === 2 && SCALARS.has(ftype) && ftype !== 'string' && ftype !== 'bytes')
        list.push(...packed(ftype, f.raw!));
      else list.push(value(ftype, f));
    } else {
      const v = value(ftype, f);
      if (v === undefined || (SCALARS.has(ftype) && isZero(v) && !KEEP_ZERO.has(name))) continue;
      out[name] = v;
    }
  }
  return out;
}

/** Decodes a whole request body: magic, envelope, object; returns the object with apiVersion and kind set. */
export function decodeKubernetesProtobuf(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw bad('missing the k8s protobuf prefix');
  const env = fields(body.subarray(4));
  const typeMeta = env.find((f) => f.no === 1)?.raw;
  const raw = env.find((f) => f.no === 2)?.raw ?? Buffer.alloc(0);
  let apiVersion = '';
  let kind = '';
  for (const f of typeMeta ? fields(typeMeta) : []) {
    if (f.no === 1) apiVersion = f.raw!.toString('utf8');
    if (f.no === 2) kind = f.raw!.toString('utf8');
  }
  const pkg = PACKAGES[apiVersion === 'v1' ? '' : apiVersion];
  if (!pkg || !SCHEMA[`${pkg}.${kind}`]) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the simulator cannot decode protobuf for ${apiVersion} ${kind}; send application/json`,
    );
  }
  return { apiVersion, kind, ...message(`${pkg}.${kind}`, raw) };
}
