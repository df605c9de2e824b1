import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as A,b as D}from"./chunk-PK3RYXOB.js";import{a as b,b as w}from"./chunk-E53TF4O4.js";import{p as v}from"./chunk-4NRHFKU4.js";import"./chunk-54PFCNIC.js";import"./chunk-VPZTTYGJ.js";import"./chunk-C3HX2ZDR.js";import"./chunk-6DBWNISG.js";import{e as y}from"./chunk-AOAJF4SM.js";import{u as k}from"./chunk-RUF4EQDU.js";import{C as g,h as d,n as f}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as h}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as i,f as p}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{readFileSync as x}from"node:fs";import T from"node:path";var M=`upgrade-actions promote -f PATH --analysis-url TARGET [options]

Blue-green promotion of one Deployment behind its Service: the new version starts beside the serving
one as <name>-green (or -blue), is analysed through <service>-preview for --validation, takes the
traffic in one write of the Service's selector, is watched for --watch (a failed gate puts the selector
back at once), and the old colour is scaled down after --scale-down-delay. State lives on the Service:
a run stopped by --max-duration continues on the next. Prints {phase, active, previous} as JSON; exits 1
when the promotion was aborted by a failed check or rolled back.

  -f, --filename PATH          the release's Deployment and Service (repeatable)
      --image NAME=REF         image override (repeatable)
      --service NAME           the Service that switches (default: the one selecting the Deployment)
  -n, --namespace NS           namespace of objects naming none (default: the context's)
      --analysis-url TARGET    checked every round (repeatable): a URL or svc[.ns]:port/path through the
                               API server, e.g. web-preview:80/healthz; {{ target }}, {{ stable }} allowed
      --analysis-checks FILE   YAML list of structured checks and comparison gates
      --prometheus-url URL     Prometheus for presets and queries
      --prometheus-preset NAME error-rate, latency-p99, \u2026 (repeatable)
      --prometheus-queries FILE  YAML list of {name, query, failWhen}
      --analysis-interval D    how often the analysis runs (default 30s)
      --failure-threshold N    consecutive failed rounds that stop it (default 3)
      --validation D           analysis of green before the switch (default 1m)
      --watch D                analysis after the switch (default 30m)
      --scale-down-delay D     old colour kept after a good watch (default 30s)
      --max-duration D         save and exit 0 (phase progressing) after D (default 0: until done)
      --abort                  stop the promotion in flight: traffic back on blue, exit 0
      --timeout D              green's rollout limit (default 5m)
      --lock-timeout D         how long to wait for another run's Lease (default 2m)
      --allow-latest           allow images tagged latest
      --require-digest         refuse images without a digest
      --kubeconfig FILE        kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME           kubeconfig context`,O={name:"promote",summary:"Blue-green promotion: validate green beside blue, switch the Service, watch, switch back on failure",usage:M,flags:{manifests:"--filename",images:"--image",namespace:"--namespace",service:"--service","analysis-urls":"--analysis-url","analysis-checks":"--analysis-checks","prometheus-url":"--prometheus-url","prometheus-presets":"--prometheus-preset","prometheus-queries":"--prometheus-queries","forbid-latest":"--allow-latest","require-digest":"--require-digest",kubeconfig:"--kubeconfig",context:"--context"},async run(s){let{values:e}=h({args:s.argv,options:{filename:{type:"string",short:"f",multiple:!0},image:{type:"string",multiple:!0},service:{type:"string"},namespace:{type:"string",short:"n"},"analysis-url":{type:"string",multiple:!0},"analysis-checks":{type:"string"},"prometheus-url":{type:"string"},"prometheus-preset":{type:"string",multiple:!0},"prometheus-queries":{type:"string"},"analysis-interval":{type:"string"},"failure-threshold":{type:"string"},validation:{type:"string"},watch:{type:"string"},"scale-down-delay":{type:"string"},"max-duration":{type:"string"},abort:{type:"boolean"},timeout:{type:"string"},"lock-timeout":{type:"string"},"allow-latest":{type:"boolean"},"require-digest":{type:"boolean"},kubeconfig:{type:"string"},context:{type:"string"}}},M);if(!e.filename?.length)throw new i("--filename: give the release manifests (-f PATH)");let o=e["failure-threshold"]??"3";if(!/^[1-9]\d*$/.test(o))throw new i(`--failure-threshold: must be a whole number >= 1, got "${o}"`);let r=(t,a)=>p(e[t]??a,`--${t}`),n=r("analysis-interval","30s");if(n<1e3)throw new i("--analysis-interval: must be at least 1s");let q={validationMs:r("validation","1m"),watchMs:r("watch","30m"),scaleDownDelayMs:r("scale-down-delay","30s"),intervalMs:n},u=t=>t?x(T.resolve(s.cwd,t),"utf8"):void 0,E=y((e.image??[]).join(`
`),"--image"),S=g(e.filename,{cwd:s.cwd}),l=d({path:e.kubeconfig,context:e.context,env:s.env,inCluster:"auto"}),c=new f(l);try{let t=await D({client:c,namespace:e.namespace??l.namespace,manifests:S,overrides:E,service:e.service,policy:{forbidLatest:!e["allow-latest"],requireDigest:!!e["require-digest"]},timing:q,failureThreshold:Number(o),analysis:m=>w({urls:e["analysis-url"]??[],checks:u(e["analysis-checks"]),prometheusUrl:e["prometheus-url"],prometheusPresets:e["prometheus-preset"],prometheusQueries:u(e["prometheus-queries"])},{vars:{...m,interval:b(n)},api:v(l,m.namespace)}),maxDurationMs:r("max-duration","0"),action:e.abort?"abort":"run",lockTimeoutMs:r("lock-timeout","2m"),readyTimeoutMs:r("timeout","5m"),identity:k(s.env),logger:s.logger});s.stdout(JSON.stringify({phase:t.phase,active:t.active,previous:t.previous})+`
`);let a=t.phase==="rolled-back"||t.phase==="aborted"&&!e.abort;return a&&s.stderr(`error: ${t.trip?A(t.trip):t.failure}; ${t.active} serves
`),a?1:0}finally{c.close()}}};export{O as promoteCommand};
//# sourceMappingURL=chunk-ML7GOEPM.js.map
