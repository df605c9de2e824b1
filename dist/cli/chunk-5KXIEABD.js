import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as g}from"./chunk-EXBL4F3X.js";import{d as c,e as d,f,g as p,h as k}from"./chunk-LF6YSKDL.js";import"./chunk-JAJXOOCD.js";import{f as m,k as u}from"./chunk-VQJGAPAZ.js";import"./chunk-XO2ADHM3.js";import{e as t,j as r}from"./chunk-WMASQQEQ.js";import{readFileSync as h}from"node:fs";import y from"node:path";import{parseArgs as E}from"node:util";var N=`upgrade-actions rollback (--release FILE | TYPE/NAME ...) [options]

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
      --no-wait              do not wait for the restored rollouts`,S={name:"rollback",summary:"Roll back a release or workloads: undo, wait, verify, mark the failed revision (idempotent)",usage:N,async run(o){let{values:e,positionals:s}=E({args:o.argv,allowPositionals:!0,options:{release:{type:"string"},namespace:{type:"string",short:"n"},"to-revision":{type:"string"},reason:{type:"string"},kubeconfig:{type:"string"},context:{type:"string"},timeout:{type:"string"},"lock-timeout":{type:"string"},"no-wait":{type:"boolean"}}});if(!e.release==(s.length===0))throw new t("rollback: give --release FILE or workloads as TYPE/NAME, one of the two");let w=Number(e["to-revision"]??"0");if(!/^\d+$/.test(e["to-revision"]??"0"))throw new t(`--to-revision: must be a whole number >= 0, got "${e["to-revision"]}"`);let a=e.release?g(e.release==="-"?h(0,"utf8"):h(y.resolve(o.cwd,e.release),"utf8"),`--release ${e.release}`):void 0,n=m({path:e.kubeconfig,context:e.context,env:o.env,inCluster:"auto"}),b=a?f(a):d(s,e.namespace??n.namespace,"rollback"),i=new u(n);try{let l=await c({client:i,targets:b,toRevision:w,reason:e.reason??"rollback requested",identity:p(o.env),wait:!e["no-wait"],timeoutMs:r(e.timeout??"5m","timeout"),lockTimeoutMs:r(e["lock-timeout"]??"2m","lock-timeout"),logger:o.logger});return o.stdout(JSON.stringify(k(l))+`
`),l.outcomes.some(v=>v.action==="failed")?1:0}finally{i.close()}}};export{S as rollbackCommand};
//# sourceMappingURL=chunk-5KXIEABD.js.map
