import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{e as g}from"./chunk-5KJIMAU2.js";import{d as f}from"./chunk-54PFCNIC.js";import"./chunk-VPZTTYGJ.js";import"./chunk-C3HX2ZDR.js";import"./chunk-6DBWNISG.js";import{e as p}from"./chunk-AOAJF4SM.js";import{u as d}from"./chunk-RUF4EQDU.js";import{C as m,h as s,n as c}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as r}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{f as l}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";import{writeFileSync as w}from"node:fs";import v from"node:path";var u=`upgrade-actions deploy -f PATH [-f PATH ...] [options]

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
      --release-file FILE    write the release descriptor there instead of standard output`,P={name:"deploy",summary:"Apply manifests, follow the rollouts, print the release descriptor; roll back on failure",usage:u,flags:{"allow-failed-revision":"--allow-failed-revision",manifests:"--filename",images:"--image",namespace:"--namespace",timeout:"--timeout","field-manager":"--field-manager",kubeconfig:"--kubeconfig",context:"--context"},async run(t){let{values:e}=r({args:t.argv,options:{filename:{type:"string",short:"f",multiple:!0},namespace:{type:"string",short:"n"},image:{type:"string",multiple:!0},kubeconfig:{type:"string"},context:{type:"string"},"change-cause":{type:"string"},timeout:{type:"string"},"no-wait":{type:"boolean"},"client-side":{type:"boolean"},"field-manager":{type:"string"},"no-api-check":{type:"boolean"},"no-rollback":{type:"boolean"},"allow-latest":{type:"boolean"},"require-digest":{type:"boolean"},"allow-failed-revision":{type:"boolean"},"release-file":{type:"string"}}},u),y=p((e.image??[]).join(`
`),"--image"),b=m(e.filename??[],{cwd:t.cwd}),h=l(e.timeout??"5m","timeout"),a=s({path:e.kubeconfig,context:e.context,env:t.env,inCluster:"auto"}),i=new c(a);try{let o=await f({client:i,access:a,manifests:b,namespace:e.namespace??a.namespace,overrides:y,changeCause:e["change-cause"],fieldManager:e["field-manager"]??"upgrade-actions",serverSide:!e["client-side"],kubectl:{kubeconfig:e.kubeconfig,context:e.context},wait:!e["no-wait"],timeoutMs:h,apiCheck:!e["no-api-check"],policy:{forbidLatest:!e["allow-latest"],requireDigest:!!e["require-digest"]},allowFailedRevision:!!e["allow-failed-revision"],rollbackOnFailure:!e["no-rollback"],identity:d(t.env),logger:t.logger});for(let k of o.warnings)t.logger.warning(k);let n=g(o.release);return e["release-file"]?w(v.resolve(t.cwd,e["release-file"]),n+`
`):t.stdout(n+`
`),o.failures.length?1:0}finally{i.close()}}};export{P as deployCommand};
//# sourceMappingURL=chunk-ZHSBHTBD.js.map
