import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{d as h}from"./chunk-5KJIMAU2.js";import"./chunk-C3HX2ZDR.js";import{r as d,s as f,t as p,u as k,v as g}from"./chunk-RUF4EQDU.js";import{h as m,n as u}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as c}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as t,f as r}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{readFileSync as w}from"node:fs";import C from"node:path";var b=`upgrade-actions rollback (--release FILE | TYPE/NAME ...) [options]

Rolls back each workload of a release (or the named ones) with kubectl rollout undo semantics, under
a Lease per workload, waits for the restored rollouts, verifies them and marks the failed revision.
A second run is a no-op. Prints the rolled-back workloads as JSON; exits 1 when one did not recover.

      --release FILE         the deploy step's release descriptor ('-': standard input)
  -n, --namespace NS         namespace of workloads named without one (default: the context's)
      --to-revision N        revision to restore (default: the one before the release / the previous)
      --reason TEXT          recorded in the failed-revision mark (default "rollback requested")
      --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME         kubeconfig context
      --timeout D            limit for each restored rollout (default 5m; 0: none)
      --lock-timeout D       how long to wait for another run's Lease (default 2m)
      --no-wait              do not wait for the restored rollouts`,M={name:"rollback",summary:"Roll back a release or workloads: undo, wait, verify, mark the failed revision (idempotent)",usage:b,flags:{"to-revision":"--to-revision",namespace:"--namespace",kubeconfig:"--kubeconfig",context:"--context",release:"--release"},async run(o){let{values:e,positionals:s}=c({args:o.argv,allowPositionals:!0,options:{release:{type:"string"},namespace:{type:"string",short:"n"},"to-revision":{type:"string"},reason:{type:"string"},kubeconfig:{type:"string"},context:{type:"string"},timeout:{type:"string"},"lock-timeout":{type:"string"},"no-wait":{type:"boolean"}}},b);if(!e.release==(s.length===0))throw new t("rollback: give --release FILE or workloads as TYPE/NAME, one of the two");let v=Number(e["to-revision"]??"0");if(!/^\d+$/.test(e["to-revision"]??"0"))throw new t(`--to-revision: must be a whole number >= 0, got "${e["to-revision"]}"`);let a=e.release?h(e.release==="-"?w(0,"utf8"):w(C.resolve(o.cwd,e.release),"utf8"),`--release ${e.release}`):void 0,n=m({path:e.kubeconfig,context:e.context,env:o.env,inCluster:"auto"}),y=a?p(a):f(s,e.namespace??n.namespace,"rollback"),i=new u(n);try{let l=await d({client:i,targets:y,toRevision:v,reason:e.reason??"rollback requested",identity:k(o.env),wait:!e["no-wait"],timeoutMs:r(e.timeout??"5m","timeout"),lockTimeoutMs:r(e["lock-timeout"]??"2m","lock-timeout"),logger:o.logger});return o.stdout(JSON.stringify(g(l))+`
`),l.outcomes.some(E=>E.action==="failed")?1:0}finally{i.close()}}};export{M as rollbackCommand};
//# sourceMappingURL=chunk-D42LT4S4.js.map
