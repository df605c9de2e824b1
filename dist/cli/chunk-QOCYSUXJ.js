import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{m as k,n as v,r as w}from"./chunk-4NRHFKU4.js";import"./chunk-C3HX2ZDR.js";import{e as g,h as y,n as b}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as m}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as s,f as c}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{readFileSync as E}from"node:fs";import d from"node:path";var T=`upgrade-actions probe [TARGET ...] [options]

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
  --duration DURATION          watch this long (default: 5m)
  --interval DURATION          between rounds (default: 10s)
  --failure-threshold N        consecutive failures of one check that fail the probe (default: 5)
  --release FILE               the deploy step's release descriptor (JSON): also checks its pods
  --rollback-on-failure        roll the release back when it is unhealthy (needs --release)
  --fail-on-warning-events     fail on Warning events from the release's objects (needs --release)
  --rollback-timeout DURATION  how long the rollback may take (default: 5m)
  --kubeconfig FILE            for service targets and releases (default: $KUBECONFIG or ~/.kube/config)
  --context NAME               kubeconfig context
  -n, --namespace NAME         namespace of service targets (default: the context's)
  --no-fail                    exit 0 even when unhealthy
  --json                       print the report as JSON

Exit codes: 0 healthy, 1 unhealthy (or an error).`,S={name:"probe",summary:"Health-check a release (HTTP, service proxy, Prometheus) once or for a watch window",usage:T,flags:{urls:"TARGET",checks:"--checks","prometheus-url":"--prometheus-url",mode:"--mode",duration:"--duration",interval:"--interval","failure-threshold":"--failure-threshold","expected-status":"--expected-status",kubeconfig:"--kubeconfig",context:"--context",release:"--release","rollback-on-failure":"--rollback-on-failure","fail-on-warning-events":"--fail-on-warning-events"},async run(a){let{values:e,positionals:x}=m({args:a.argv,allowPositionals:!0,options:{"expected-status":{type:"string",default:"200"},timeout:{type:"string",default:"5s"},method:{type:"string",default:"GET"},header:{type:"string",short:"H",multiple:!0,default:[]},"body-match":{type:"string"},"max-latency":{type:"string"},"insecure-skip-tls-verify":{type:"boolean",default:!1},"ca-file":{type:"string"},checks:{type:"string"},"prometheus-url":{type:"string"},mode:{type:"string",default:"once"},duration:{type:"string",default:"5m"},interval:{type:"string",default:"10s"},"failure-threshold":{type:"string",default:"5"},kubeconfig:{type:"string"},context:{type:"string"},release:{type:"string"},"rollback-on-failure":{type:"boolean",default:!1},"fail-on-warning-events":{type:"boolean",default:!1},"rollback-timeout":{type:"string",default:"5m"},namespace:{type:"string",short:"n"},"no-fail":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},T);if(e.mode!=="once"&&e.mode!=="watch")throw new s(`--mode must be once or watch, got "${e.mode}"`);let h=Number(e["failure-threshold"]);if(!/^\d+$/.test(e["failure-threshold"])||h<1)throw new s(`--failure-threshold must be a whole number of at least 1, got "${e["failure-threshold"]}"`);c(e.duration,"--duration");let $=c(e["rollback-timeout"],"--rollback-timeout");if(e["rollback-on-failure"]&&!e.release)throw new s("--rollback-on-failure: needs --release (the release descriptor deploy printed)");let n;if(e.release){let{parseRelease:t}=await import("./chunk-YG4AET6Z.js"),l;try{l=E(d.resolve(a.cwd,e.release),"utf8")}catch(o){throw new s(`--release: cannot read ${e.release} (${o.code??o})`)}n=t(l)}if(c(e.interval,"--interval")<=0)throw new s("--interval must be longer than 0s");let f;if(e.checks)try{f=E(d.resolve(a.cwd,e.checks),"utf8")}catch(t){throw new s(`--checks: cannot read ${e.checks} (${t.code??t})`)}let p={urls:x,expectedStatus:e["expected-status"],timeout:e.timeout,method:e.method,headers:e.header,bodyMatch:e["body-match"],maxLatency:e["max-latency"],insecureSkipTlsVerify:e["insecure-skip-tls-verify"],caFile:e["ca-file"]?d.resolve(a.cwd,e["ca-file"]):void 0,checks:f,prometheusUrl:e["prometheus-url"]},i;if(n||v(p)){let t=y({path:e.kubeconfig,context:e.context,env:a.env});i=new b(e.namespace?{...t,namespace:e.namespace}:t)}let r,u;try{if({report:r}=await w({...p,mode:e.mode,duration:e.duration,interval:e.interval,failureThreshold:h,failOnWarningEvents:e["fail-on-warning-events"]},{client:i,release:n,logger:a.logger}),r.shouldRollback&&e["rollback-on-failure"]&&n&&i){let{releaseTargets:t,rollback:l,runIdentity:o}=await import("./chunk-FSKLZDI3.js");u=await l({client:i,targets:t(n),reason:`health-probe: ${r.error??"unhealthy"}`,identity:o(),timeoutMs:$,logger:a.logger})}}finally{i?.close()}if(e.json)a.stdout(JSON.stringify(r,null,2)+`
`);else{let t=k(r),l=[t.header.map(o=>o.toUpperCase()),...t.rows].map(o=>o.join("	")).join(`
`);a.stdout(g(l,2)+`
`),a.stdout(`
${r.status}`+(r.error?`: ${r.error}`:"")+` (${r.rounds} round(s), should-rollback ${r.shouldRollback}, consecutive-failures ${r.consecutiveFailures})
`)}if(u)for(let t of u.outcomes)a.stdout(`rollback: ${t.displayName} ${t.action}${t.message?`: ${t.message}`:""}
`);return r.status!=="healthy"&&!e["no-fail"]?1:0}};export{S as probeCommand};
//# sourceMappingURL=chunk-QOCYSUXJ.js.map
