import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as b,b as g,c as v}from"./chunk-TD32JOEC.js";import"./chunk-4NRHFKU4.js";import"./chunk-C3HX2ZDR.js";import"./chunk-AOAJF4SM.js";import{e as m,h as c,n as d}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as u}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as p}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import i from"node:path";var o=`upgrade-actions smoke FILE [options]

Runs a declarative smoke test file (YAML: setup, tests, teardown; requests with assertions on
status, headers, JSONPath values, body and latency; retries with backoff). See docs/smoke-test.md.

Options:
  --base-url URL|SERVICE       joined with each request's path (also \${base-url} in the file); a URL,
                               or a Service through the API server's proxy: name[.namespace]:port[/path]
  --kubeconfig FILE            for a Service base URL (default: $KUBECONFIG or ~/.kube/config)
  -n, --namespace NAME         namespace of a Service that names none (default: the context's)
  --var NAME=VALUE             a variable for \${NAME} (repeatable)
  --junit FILE                 write a JUnit XML report
  --insecure-skip-tls-verify   accept any server certificate
  --ca-file FILE               trust this CA bundle (PEM)
  --no-fail                    exit 0 even when tests fail
  --json                       print the report as JSON

Exit codes: 0 all passed, 1 a step failed (or an error).`,C={name:"smoke",summary:"Run a YAML file of smoke tests against a release, with a JUnit report",usage:o,flags:{"base-url":"--base-url","ca-file":"--ca-file",junit:"--junit"},async run(a){let{values:e,positionals:t}=u({args:a.argv,allowPositionals:!0,options:{"base-url":{type:"string"},kubeconfig:{type:"string"},namespace:{type:"string",short:"n"},var:{type:"string",multiple:!0,default:[]},junit:{type:"string"},"insecure-skip-tls-verify":{type:"boolean",default:!1},"ca-file":{type:"string"},"no-fail":{type:"boolean",default:!1},json:{type:"boolean",default:!1}}},o);if(t.length!==1)throw new p(`give one smoke test file

${o}`);let n=g({file:i.resolve(a.cwd,t[0]),fileName:t[0],baseUrl:e["base-url"],variables:e.var,insecureSkipTlsVerify:e["insecure-skip-tls-verify"],caFile:e["ca-file"]?i.resolve(a.cwd,e["ca-file"]):void 0,junitPath:e.junit?i.resolve(a.cwd,e.junit):void 0,namespace:e.namespace,names:{file:"",baseUrl:"--base-url",variables:"--var",caFile:"--ca-file",image:"--image"}}),l=n.mode==="file"&&n.needsCluster?new d(c({path:e.kubeconfig,env:a.env})):void 0,s;try{s=await v(n,{client:l,logger:a.logger})}finally{l?.close()}if(e.json)a.stdout(JSON.stringify(s,null,2)+`
`);else{let f=b(s),h=[f.header.map(r=>r.toUpperCase()),...f.rows].map(r=>r.join("	")).join(`
`);a.stdout(m(h,2)+`
`),a.stdout(`
${s.passed} passed, ${s.failed} failed
`)}return s.failed>0&&!e["no-fail"]?1:0}};export{C as smokeCommand};
//# sourceMappingURL=chunk-GSSEUG4E.js.map
