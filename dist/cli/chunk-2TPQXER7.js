import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{e as u}from"./chunk-4VY26OO3.js";import{a as p,d as g}from"./chunk-UKNQGMAY.js";import"./chunk-XMS5T2T2.js";import{u as f}from"./chunk-EC6NQPYO.js";import"./chunk-PXGICYSO.js";import"./chunk-U5N7OCY4.js";import{B as d,h as c,n as m}from"./chunk-URC4ULRF.js";import{a as s}from"./chunk-3UASRHTV.js";import"./chunk-X4GQNKU5.js";import{j as l}from"./chunk-OXK3ITVL.js";import{writeFileSync as w}from"node:fs";import v from"node:path";var y=`upgrade-actions deploy -f PATH [-f PATH ...] [options]

Checks everything first (image overrides and policy, API check at the cluster's version, server dry
run, failed-revision marks), applies in dependency order, follows every rollout with kubectl's
messages, and prints the release descriptor (JSON) on standard output. A failed rollout rolls the
release back and exits 1.

  -f, --filename PATH        manifest file, directory or glob (repeatable)
  -n, --namespace NS         namespace for objects that name none (default: the context's)
      --image NAME=REF       image override (repeatable), e.g. ghcr.io/acme/web=ghcr.io/acme/web@sha256:...
      --kubeconfig FILE      kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME         kubeconfig context
      --change-cause TEXT    recorded as kubernetes.io/change-cause
      --timeout D            limit for all rollouts together (default 5m; 0: none)
      --no-wait              do not follow the rollouts
      --client-side          kubectl client-side apply instead of server-side apply
      --field-manager NAME   default upgrade-actions
      --no-api-check         skip the API check preflight
      --no-rollback          do not roll back when a rollout fails
      --allow-latest         allow images tagged latest
      --require-digest       refuse images without a digest
      --allow-failed-revision  deploy a template a rollback marked failed
      --release-file FILE    write the release descriptor there instead of standard output`,P={name:"deploy",summary:"Apply manifests, follow the rollouts, print the release descriptor; roll back on failure",usage:y,flags:{"allow-failed-revision":"--allow-failed-revision",manifests:"--filename",images:"--image",timeout:"--timeout","field-manager":"--field-manager",kubeconfig:"--kubeconfig",context:"--context"},async run(o){let{values:e}=s({args:o.argv,options:{filename:{type:"string",short:"f",multiple:!0},namespace:{type:"string",short:"n"},image:{type:"string",multiple:!0},kubeconfig:{type:"string"},context:{type:"string"},"change-cause":{type:"string"},timeout:{type:"string"},"no-wait":{type:"boolean"},"client-side":{type:"boolean"},"field-manager":{type:"string"},"no-api-check":{type:"boolean"},"no-rollback":{type:"boolean"},"allow-latest":{type:"boolean"},"require-digest":{type:"boolean"},"allow-failed-revision":{type:"boolean"},"release-file":{type:"string"}}},y),b=p((e.image??[]).join(`
`),"--image"),h=d(e.filename??[],{cwd:o.cwd}),k=l(e.timeout??"5m","timeout"),i=c({path:e.kubeconfig,context:e.context,env:o.env,inCluster:"auto"}),r=new m(i);try{let t=await g({client:r,access:i,manifests:h,namespace:e.namespace??i.namespace,overrides:b,changeCause:e["change-cause"],fieldManager:e["field-manager"]??"upgrade-actions",serverSide:!e["client-side"],kubectl:{kubeconfig:e.kubeconfig,context:e.context},wait:!e["no-wait"],timeoutMs:k,apiCheck:!e["no-api-check"],policy:{forbidLatest:!e["allow-latest"],requireDigest:!!e["require-digest"]},allowFailedRevision:!!e["allow-failed-revision"],rollbackOnFailure:!e["no-rollback"],identity:f(o.env),logger:o.logger});for(let a of t.warnings)o.logger.warning(a);let n=u(t.release);e["release-file"]?w(v.resolve(o.cwd,e["release-file"]),n+`
`):o.stdout(n+`
`);for(let a of t.failures)o.stderr(`error: ${a.workload}: ${a.message}
`);for(let a of t.rollback?.outcomes??[])o.stderr(`${a.namespace}/${a.displayName}: ${a.action}: ${a.message}
`);return t.failures.length?1:0}finally{r.close()}}};export{P as deployCommand};
//# sourceMappingURL=chunk-2TPQXER7.js.map
