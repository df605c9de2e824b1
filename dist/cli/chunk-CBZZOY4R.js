import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{e as E}from"./chunk-5KJIMAU2.js";import{a as d,b,c as w,d as k}from"./chunk-3JMELJA7.js";import{i as v}from"./chunk-E53TF4O4.js";import"./chunk-4NRHFKU4.js";import"./chunk-54PFCNIC.js";import"./chunk-VPZTTYGJ.js";import"./chunk-C3HX2ZDR.js";import"./chunk-6DBWNISG.js";import{e as g}from"./chunk-AOAJF4SM.js";import{u as y}from"./chunk-RUF4EQDU.js";import{C as f,h as m,n as h}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as p}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a,f as s}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";var n=`upgrade-actions canary -f MANIFESTS [options]

Shifts traffic to a canary of the manifests' Deployment step by step, analyses every step (HTTP checks,
Prometheus presets, queries and comparison gates against the stable version) and promotes it or aborts it.
Nothing runs in the cluster: the state lives on the stable Deployment, so a later run resumes. Prints
{phase, weight, step, release} as JSON; exits 1 when a gate aborted it, 0 otherwise.

  -f, --filename PATH          manifests: files, directories or globs (repeatable)
  -n, --namespace NS           namespace for objects that name none (default: the context's)
      --image NAME=REF         image override (repeatable)
      --service NAME           the stable Service (default: the one selecting the Deployment's pods)
      --traffic-router R       replicas (default), nginx, istio or gateway-api
      --ingress NAME           nginx: the stable Ingress
      --virtual-service NAME   istio: the VirtualService (NAME/ROUTE to pick a route)
      --http-route NAME        gateway-api: the HTTPRoute
      --header-match 'N: V'    requests with this header always go to the canary
      --cookie-match NAME      requests with this cookie set to "always" go to the canary
      --steps LIST             traffic percentages ending at 100 (default 10,30,50,100)
      --step-interval D        how long each step is analysed (default 5m)
      --analysis-interval D    how often the analysis runs (default 30s)
      --failure-threshold N    consecutive failed rounds of one check that abort (default 3)
      --url TARGET             analysis target: URL or svc[.ns]:port/path (repeatable)
      --checks FILE            analysis checks (YAML list, health-probe's form plus compare gates)
      --prometheus-url URL     Prometheus for presets, queries and comparisons
      --preset NAME            a preset of the seed's rules (repeatable)
      --queries FILE           YAML list of {name, query, failWhen | compare}
      --max-duration D         stop after D with phase progressing; a later run resumes (default 0: none)
      --promote                skip the remaining steps and promote the canary in flight
      --abort                  end the canary in flight: traffic back to stable, canary removed
      --kubeconfig FILE        kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME           kubeconfig context
      --lock-timeout D         how long to wait for another run's Lease (default 2m)
      --rollout-timeout D      limit for the canary's and the promotion's rollouts (default 10m)`,z={name:"canary",summary:"Canary a release step by step through a traffic router with metric gates; promote or abort",usage:n,flags:{manifests:"--filename",images:"--image",namespace:"--namespace","traffic-router":"--traffic-router","virtual-service":"--virtual-service","http-route":"--http-route","header-match":"--header-match","cookie-match":"--cookie-match","analysis-urls":"--url","analysis-checks":"--checks","prometheus-url":"--prometheus-url","prometheus-presets":"--preset","prometheus-queries":"--queries","step-interval":"--step-interval","analysis-interval":"--analysis-interval","failure-threshold":"--failure-threshold","max-duration":"--max-duration","lock-timeout":"--lock-timeout",ingress:"--ingress",service:"--service",steps:"--steps",kubeconfig:"--kubeconfig",context:"--context",action:"--promote/--abort"},async run(r){let{values:e}=p({args:r.argv,options:{filename:{type:"string",short:"f",multiple:!0},namespace:{type:"string",short:"n"},image:{type:"string",multiple:!0},service:{type:"string"},"traffic-router":{type:"string"},ingress:{type:"string"},"virtual-service":{type:"string"},"http-route":{type:"string"},"header-match":{type:"string"},"cookie-match":{type:"string"},steps:{type:"string"},"step-interval":{type:"string"},"analysis-interval":{type:"string"},"failure-threshold":{type:"string"},url:{type:"string",multiple:!0},checks:{type:"string"},"prometheus-url":{type:"string"},preset:{type:"string",multiple:!0},queries:{type:"string"},"max-duration":{type:"string"},promote:{type:"boolean"},abort:{type:"boolean"},kubeconfig:{type:"string"},context:{type:"string"},"lock-timeout":{type:"string"},"rollout-timeout":{type:"string"}}},n);if(!e.filename?.length)throw new a(`--filename: give the release's manifests

${n}`);if(e.promote&&e.abort)throw new a("--promote and --abort: give one of them");let o=e["failure-threshold"]??"3";if(!/^[1-9]\d*$/.test(o))throw new a(`--failure-threshold: must be a whole number of at least 1, got "${o}"`);let l=async(t,F)=>{if(!t)return;let{readFileSync:O}=await import("node:fs"),P=await import("node:path");try{return O(P.resolve(r.cwd,t),"utf8")}catch(c){throw new a(`${F}: cannot read ${t} (${c.code??c.message})`)}},N=v(e["traffic-router"]??"replicas","--traffic-router"),M=d(e.steps??"","--steps"),S=w(e["header-match"]??"",e["cookie-match"]??""),A=g((e.image??[]).join(`
`),"--image"),T={stepIntervalMs:s(e["step-interval"]??"5m","--step-interval"),analysisIntervalMs:s(e["analysis-interval"]??"30s","--analysis-interval")},q=s(e["max-duration"]??"0","--max-duration"),x=s(e["lock-timeout"]??"2m","--lock-timeout"),D=s(e["rollout-timeout"]??"10m","--rollout-timeout"),R=await l(e.checks,"--checks"),C=await l(e.queries,"--queries"),I=f(e.filename,{cwd:r.cwd}),[L,$]=(e["virtual-service"]??"").split("/"),i=m({path:e.kubeconfig,context:e.context,env:r.env,inCluster:"auto"}),u=new h(i);try{let t=await b({client:u,access:i,manifests:I,namespace:e.namespace??i.namespace,overrides:A,policy:{forbidLatest:!0,requireDigest:!1},service:e.service,router:N,ingress:e.ingress,virtualService:L||void 0,virtualServiceRoute:$||void 0,httpRoute:e["http-route"],matches:S,steps:M,timing:T,failureThreshold:Number(o),analysis:{urls:e.url??[],checks:R,prometheusUrl:e["prometheus-url"],prometheusPresets:e.preset??[],prometheusQueries:C},maxDurationMs:q,action:e.promote?"promote":e.abort?"abort":"run",identity:y(r.env),lockTimeoutMs:x,rolloutTimeoutMs:D,fieldManager:"upgrade-actions",logger:r.logger});return r.stdout(JSON.stringify({phase:t.phase,weight:t.weight,step:t.step,message:t.message,analysis:JSON.parse(k(t.state)),release:JSON.parse(E(t.release))})+`
`),t.phase==="aborted"&&!t.requested?(r.logger.error(`canary aborted: ${t.message}`),1):0}finally{u.close()}}};export{z as canaryCommand};
//# sourceMappingURL=chunk-CBZZOY4R.js.map
