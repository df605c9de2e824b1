import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{f,g as m,i as y}from"./chunk-DCLJD7M4.js";import"./chunk-JAJXOOCD.js";import{c as d,f as h,k as p}from"./chunk-VQJGAPAZ.js";import{a as g}from"./chunk-DB5IBIS6.js";import"./chunk-XO2ADHM3.js";import{e as a,j as l}from"./chunk-WMASQQEQ.js";import{readFileSync as T}from"node:fs";import b from"node:path";var v=`upgrade-actions probe [TARGET ...] [options]

Health-checks a release at three levels and decides whether it should be rolled back. A TARGET is a
URL (http://host/path) or a Service reached through the API server's proxy, name[.namespace]:port/path
(e.g. web:8080/healthz), so it works in a cluster with no ingress. Business-level gates (Prometheus
queries and presets) come from a checks file; see docs/health-probe.md.

Options:
  --expected-status LIST       accepted statuses: 200, 200,204, 200-299, 2xx (default: 200)
  --timeout DURATION           per request (default: 5s)
  --method METHOD              (default: GET)
  -H, --header 'Name: value'   a request header (repeatable); values are never printed
  --body-match REGEX           the body must match
  --max-latency DURATION       slower answers fail
  --insecure-skip-tls-verify   accept any server certificate
  --ca-file FILE               trust this CA bundle (PEM)
  --checks FILE                YAML list of structured checks (url, or preset/query with failWhen)
  --prometheus-url URL         Prometheus for business-level checks
  --mode once|watch            one round, or rounds every --interval for --duration (default: once)
  --duration DURATION          watch this long (default: 30m)
  --interval DURATION          between rounds (default: 10s)
  --failure-threshold N        consecutive failures of one check that fail the probe (default: 5)
  --kubeconfig FILE            for service targets (default: $KUBECONFIG or ~/.kube/config)
  -n, --namespace NAME         namespace of service targets (default: the context's)
  --no-fail                    exit 0 even when unhealthy
  --json                       print the report as JSON

Exit codes: 0 healthy, 1 unhealthy (or an error).`,R={name:"probe",summary:"Health-check a release (HTTP, service proxy, Prometheus) once or for a watch window",usage:v,async run(r){let{values:e,positionals:w}=g({args:r.argv,allowPositionals:!0,options:{"expected-status":{type:"string",default:"200"},timeout:{type:"string",default:"5s"},method:{type:"string",default:"GET"},header:{type:"string",short:"H",multiple:!0,default:[]},"body-match":{type:"string"},"max-latency":{type:"string"},"insecure-skip-tls-verify":{type:"boolean",default:!1},"ca-file":{type:"string"},checks:{type:"string"},"prometheus-url":{type:"string"},mode:{type:"string",default:"once"},duration:{type:"string",default:"30m"},interval:{type:"string",default:"10s"},"failure-threshold":{type:"string",default:"5"},kubeconfig:{type:"string"},namespace:{type:"string",short:"n"},"no-fail":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},v);if(e.mode!=="once"&&e.mode!=="watch")throw new a(`--mode must be once or watch, got "${e.mode}"`);let i=Number(e["failure-threshold"]);if(!/^\d+$/.test(e["failure-threshold"])||i<1)throw new a(`--failure-threshold must be a whole number of at least 1, got "${e["failure-threshold"]}"`);if(l(e.duration,"--duration"),l(e.interval,"--interval")<=0)throw new a("--interval must be longer than 0s");let u;if(e.checks)try{u=T(b.resolve(r.cwd,e.checks),"utf8")}catch(s){throw new a(`--checks: cannot read ${e.checks} (${s.code??s})`)}let c={urls:w,expectedStatus:e["expected-status"],timeout:e.timeout,method:e.method,headers:e.header,bodyMatch:e["body-match"],maxLatency:e["max-latency"],insecureSkipTlsVerify:e["insecure-skip-tls-verify"],caFile:e["ca-file"]?b.resolve(r.cwd,e["ca-file"]):void 0,checks:u,prometheusUrl:e["prometheus-url"]},o;if(m(c)){let s=h({path:e.kubeconfig,env:r.env});o=new p(e.namespace?{...s,namespace:e.namespace}:s)}let t;try{({report:t}=await y({...c,mode:e.mode,duration:e.duration,interval:e.interval,failureThreshold:i},{client:o,logger:r.logger}))}finally{o?.close()}if(e.json)r.stdout(JSON.stringify(t,null,2)+`
`);else{let s=f(t),k=[s.header.map(n=>n.toUpperCase()),...s.rows].map(n=>n.join("	")).join(`
`);r.stdout(d(k,2)+`
`),r.stdout(`
${t.status}`+(t.error?`: ${t.error}`:"")+` (${t.rounds} round(s), should-rollback ${t.shouldRollback}, consecutive-failures ${t.consecutiveFailures})
`)}return t.status==="unhealthy"&&!e["no-fail"]?1:0}};export{R as probeCommand};
//# sourceMappingURL=chunk-ORQHFOUW.js.map
