import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as k}from"./chunk-NNVYNQUC.js";import{b as g,c as s,f as u,g as c,h as p,i as m,j as b,k as h,l as v,m as w,n as y}from"./chunk-VPZTTYGJ.js";import"./chunk-6DBWNISG.js";import"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as d}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as f}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{readFileSync as I,writeFileSync as $}from"node:fs";import j from"node:path";var A=`upgrade-actions api-check [options] PATH...

Finds deprecated and removed Kubernetes API versions in manifests (files, directories, globs;
- for standard input, e.g. helm template \u2026 | upgrade-actions api-check -) or in a live cluster.

Options:
  --target-version X.Y         Kubernetes release to check against (default: the cluster's
                               version with --kubeconfig, else the newest known, ${s.latest.kubernetes})
  --latest-version X.Y         newest release for the N-2 policy warning (default: ${s.latest.kubernetes})
  --component-version C=X.Y    release of a CRD ecosystem (cert-manager, istio); repeatable
  --output table|json|sarif    what to print on standard output (default: table)
  --sarif-file FILE            also write a SARIF 2.1.0 file
  --kubeconfig FILE            read objects' last-applied configuration from this cluster
  --context NAME               kubeconfig context (default: current-context)

Exit codes: 0 nothing found, 2 deprecated APIs only, 3 removed APIs, 4 APIs not yet available
at the target (the highest applies), 1 error (a manifest that cannot be read: the others are
still checked and their findings printed).`,O={name:"api-check",summary:"Find deprecated and removed Kubernetes APIs in manifests or a cluster",usage:A,flags:{"target-version":"--target-version","latest-version":"--latest-version","sarif-file":"--sarif-file",kubeconfig:"--kubeconfig",context:"--context"},async run(e){let{values:n,positionals:C}=d({args:e.argv,allowPositionals:!0,options:{"target-version":{type:"string"},"latest-version":{type:"string"},"component-version":{type:"string",multiple:!0},output:{type:"string",short:"o",default:"table"},"sarif-file":{type:"string"},kubeconfig:{type:"string"},context:{type:"string"}}},A),o=n.output;if(o!=="table"&&o!=="json"&&o!=="sarif")throw new f(`--output must be one of table, json, sarif, got ${JSON.stringify(o)}`);let a=n.kubeconfig?y(n.kubeconfig,n.context,e.cwd):void 0,t;try{t=await c({paths:C,cwd:e.cwd,stdin:()=>I(0,"utf8"),targetVersion:n["target-version"],latestVersion:n["latest-version"],componentVersions:n["component-version"],cluster:a,logger:e.logger,keepGoing:!0,names:{targetVersion:"--target-version",latestVersion:"--latest-version",componentVersions:"--component-version",paths:"PATH"}})}finally{a?.close()}for(let r of t.errors)e.stderr(`error: ${r.message}
`);let l=()=>JSON.stringify(w(t.findings,s,{root:e.cwd,cwd:e.cwd,toolVersion:k}),null,2)+`
`;if(n["sarif-file"]&&$(j.resolve(e.cwd,n["sarif-file"]),l()),o==="json"||o==="sarif"){for(let r of t.warnings)e.stderr(`warning: ${r}
`);e.stdout(o==="json"?JSON.stringify(v(t.findings),null,2)+`
`:l())}else{let r=`Kubernetes ${g(t.target)}`;if(t.findings.length===0)e.stdout(`No deprecated, removed or not yet available APIs at ${r} (${p(t.objects,"object")}).
`);else{e.stdout(h(t.findings)+`

`);for(let i of t.findings)e.logger.debug(b(i));e.stdout(`${m(t.findings,r,t.objects)}.
`)}for(let i of t.warnings)e.stdout(`warning: ${i}
`)}return t.errors.length?1:u(t.findings)}};export{O as apiCheckCommand};
//# sourceMappingURL=chunk-LS64QOIN.js.map
