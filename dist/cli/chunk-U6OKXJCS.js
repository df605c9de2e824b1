import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{g as p,h as g,i as y,n as w,o as h,w as v,x as b,y as E,z as N}from"./chunk-UEZTSD3T.js";import"./chunk-E7ICWEJM.js";import{a as f}from"./chunk-TO4ALRY6.js";import"./chunk-HSZVM7DA.js";import{a as r,f as m}from"./chunk-H5A4WCHA.js";import"./chunk-2UNLCJKS.js";var $=`upgrade-actions rollout status|history|undo (TYPE/NAME | TYPE NAME) [options]

Same output and exit codes as kubectl rollout. TYPE: deployment, statefulset or daemonset (any kubectl alias).

  -n, --namespace NS     namespace (default: the context's, else "default")
      --kubeconfig FILE  kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
      --context NAME     kubeconfig context (default: current-context)
  status:
      --revision N       pin to a revision; fail if another one is running
      --timeout D        give up after D (e.g. 90s, 5m); 0 waits forever
      --watch=false      print the current status once instead of waiting
  history:
      --revision N       show that revision's pod template
  undo:
      --to-revision N    roll back to revision N (default: the previous one)
      --dry-run MODE     none, client (print the template) or server`,O={name:"rollout",summary:"Show rollout status, history, or undo a rollout, exactly as kubectl rollout does",usage:$,async run(e){let n=e.argv.map(t=>t==="--watch=false"||t==="-w=false"?"--no-watch":t==="--watch=true"||t==="-w=true"?"--watch":t),{values:o,positionals:c}=f({args:n,allowPositionals:!0,options:{namespace:{type:"string",short:"n"},kubeconfig:{type:"string"},context:{type:"string"},revision:{type:"string"},"to-revision":{type:"string"},timeout:{type:"string"},watch:{type:"boolean",short:"w"},"no-watch":{type:"boolean"},"dry-run":{type:"string"}}},$),[s,...k]=c;if(!s||!["status","history","undo"].includes(s))throw new r(`rollout: expected a subcommand status, history or undo, got ${s?`"${s}"`:"none"}`);let A=D(k),a=C(o.revision,"revision");if(a<0)throw new Error(`revision must be a positive integer: ${a}`);let x=C(o["to-revision"],"to-revision"),M=o.timeout?m(o.timeout,"timeout"):0,u=o["dry-run"]??"none";if(!["none","client","server"].includes(u))throw new r(`Invalid dry-run value (${u}). Must be "none", "server", or "client".`);let d=g({path:o.kubeconfig,context:o.context,env:e.env,inCluster:"auto"}),i=new w(d),P=o.namespace??d.namespace;try{let t=await v(i,new h(i),{...A,namespace:P});if(s==="status")await b(i,t,{revision:a,timeoutMs:M,watch:!o["no-watch"],logger:e.logger,onMessage:l=>e.stdout(l)});else if(s==="history"){let l=await E(i,t,a);e.stdout(p(t.displayName,l,a))}else{let l=await N(i,t,{toRevision:x,dryRun:u}),T=u==="client"?" (dry run)":u==="server"?" (server dry run)":"";e.stdout(`${t.displayName} ${l.result}${T}
`)}return 0}catch(t){return Y(e,t)}finally{i.close()}}};function Y(e,n){return n instanceof y?e.stderr(`${n.message}
`):e.stderr(`error: ${n.message}
`),1}function D(e){if(e.length===0)throw new r("required resource not specified");if(e.length===1){let[n,o,c]=e[0].split("/");if(!o||c!==void 0)throw new r(`rollout: "${e[0]}": give TYPE/NAME (e.g. deployment/web) or TYPE NAME`);return{type:n,name:o}}if(e.length===2&&!e[0].includes("/"))return{type:e[0],name:e[1]};throw new r("rollout: give exactly one resource, as TYPE/NAME or TYPE NAME")}function C(e,n){if(e===void 0)return 0;if(!/^-?\d+$/.test(e))throw new r(`invalid argument "${e}" for "--${n}" flag: strconv.ParseInt: parsing "${e}": invalid syntax`);return Number(e)}export{O as rolloutCommand};
//# sourceMappingURL=chunk-U6OKXJCS.js.map
