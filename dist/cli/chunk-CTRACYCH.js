import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as g}from"./chunk-EXBL4F3X.js";import{a as m,b as f}from"./chunk-D4OGCZBV.js";import{g as d}from"./chunk-LF6YSKDL.js";import"./chunk-JAJXOOCD.js";import"./chunk-6TD4RDMB.js";import{f as s,k as c,y as p}from"./chunk-VQJGAPAZ.js";import"./chunk-XO2ADHM3.js";import"./chunk-YJKW2PG2.js";import{j as n}from"./chunk-WMASQQEQ.js";import{writeFileSync as b}from"node:fs";import k from"node:path";import{parseArgs as w}from"node:util";var v=`upgrade-actions deploy -f PATH [-f PATH ...] [options]

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
      --release-file FILE    write the release descriptor there instead of standard output`,P={name:"deploy",summary:"Apply manifests, follow the rollouts, print the release descriptor; roll back on failure",usage:v,async run(o){let{values:e}=w({args:o.argv,options:{filename:{type:"string",short:"f",multiple:!0},namespace:{type:"string",short:"n"},image:{type:"string",multiple:!0},kubeconfig:{type:"string"},context:{type:"string"},"change-cause":{type:"string"},timeout:{type:"string"},"no-wait":{type:"boolean"},"client-side":{type:"boolean"},"field-manager":{type:"string"},"no-api-check":{type:"boolean"},"no-rollback":{type:"boolean"},"allow-latest":{type:"boolean"},"require-digest":{type:"boolean"},"allow-failed-revision":{type:"boolean"},"release-file":{type:"string"}}}),u=m((e.image??[]).join(`
`),"--image"),y=p(e.filename??[],{cwd:o.cwd}),h=n(e.timeout??"5m","timeout"),r=s({path:e.kubeconfig,context:e.context,env:o.env,inCluster:"auto"}),i=new c(r);try{let a=await f({client:i,access:r,manifests:y,namespace:e.namespace??r.namespace,overrides:u,changeCause:e["change-cause"],fieldManager:e["field-manager"]??"upgrade-actions",serverSide:!e["client-side"],kubectl:{kubeconfig:e.kubeconfig,context:e.context},wait:!e["no-wait"],timeoutMs:h,apiCheck:!e["no-api-check"],policy:{forbidLatest:!e["allow-latest"],requireDigest:!!e["require-digest"]},allowFailedRevision:!!e["allow-failed-revision"],rollbackOnFailure:!e["no-rollback"],identity:d(o.env),logger:o.logger});for(let t of a.warnings)o.logger.warning(t);let l=g(a.release);e["release-file"]?b(k.resolve(o.cwd,e["release-file"]),l+`
`):o.stdout(l+`
`);for(let t of a.failures)o.stderr(`error: ${t.workload}: ${t.message}
`);for(let t of a.rollback?.outcomes??[])o.stderr(`${t.namespace}/${t.displayName}: ${t.action}: ${t.message}
`);return a.failures.length?1:0}finally{i.close()}}};export{P as deployCommand};
//# sourceMappingURL=chunk-CTRACYCH.js.map
