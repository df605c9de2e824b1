import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{x as k}from"./chunk-E7RUMDQQ.js";import{a as w}from"./chunk-TO4ALRY6.js";import{a as C}from"./chunk-HSZVM7DA.js";import{a as s}from"./chunk-H5A4WCHA.js";import{d as $}from"./chunk-2UNLCJKS.js";import{existsSync as v,statSync as N}from"node:fs";import{readFile as P,rm as A}from"node:fs/promises";import h from"node:path";var c=$(C(),1);function y(t,e){let i=new c.LineCounter,o=(0,c.parseDocument)(t,{lineCounter:i,uniqueKeys:!0}),r=n=>{if(n===void 0)return e;let{line:a,col:u}=i.linePos(n);return`${e}:${a}:${u}`};if(o.errors.length>0){let n=o.errors[0];throw new s(`--scenario: ${r(n.pos[0])}: ${n.message.split(`
`)[0]}`)}if(o.contents===null)return{};if(!(0,c.isMap)(o.contents))throw new s(`--scenario: ${r(o.contents.range?.[0])}: expected a mapping from image patterns to pod behaviour, e.g. "ghcr.io/acme/web:2.0.0: { ready: false }"`);let l={};for(let n of o.contents.items){let a=(0,c.isScalar)(n.key)?n.key:void 0,u=a?String(a.value??""):"";if(!u)throw new s(`--scenario: ${r(a?.range?.[0])}: an image pattern must be a non-empty string`);let p=n.value?.toJSON?.()??n.value;try{l[u]=k(u,p??{})}catch(g){let m=r(n.value?.range?.[0]??a?.range?.[0]);throw new s(`--scenario: ${m}: ${g.message}`)}}return l}var f=`upgrade-actions sim --kubeconfig PATH [options]

Starts the embedded Kubernetes simulator (an API server with the Deployment, ReplicaSet, StatefulSet,
DaemonSet and Job controllers, a scheduler and a kubelet), writes a kubeconfig for it to PATH, prints one
line with the server URL once it is ready, and runs until interrupted (Ctrl-C or SIGTERM), then removes
the kubeconfig it wrote. kubectl and every action work against it. See docs/kube-sim.md.

Options:
  --kubeconfig PATH   where to write the kubeconfig (required; an existing file is not overwritten)
  --scenario FILE     YAML: image patterns \u2192 pod behaviour (ready, startDelayMs, crashAfterMs, oomAfterMs,
                      pullError, completeAfterMs, exitCode, backend, stopDelayMs, logs)
  --speed N           simulated seconds per real second (default 1; e.g. 20 makes a 10-minute progress
                      deadline pass in 30 s)
  --namespace NS      the namespace of the kubeconfig's context (default "default")
  --nodes N           simulated nodes, all Ready (default 3)

Exit codes: 0 stopped by a signal, 1 an error (bad option, bad scenario, the kubeconfig file exists).`;function S(t,e,i,o){if(e===void 0)return i;let r=Number(e);if(!(e.trim()!==""&&Number.isFinite(r)&&(o?Number.isInteger(r)&&r>=0:r>0)))throw new s(`${t}: "${e}" is not ${o?"a whole number >= 0":"a number > 0"}

${f}`);return r}function E(t,e){if(v(t))throw new s(`--kubeconfig: ${e} already exists; give a new path (the simulator never overwrites a kubeconfig)`);let i=h.dirname(t);if(!v(i)||!N(i).isDirectory())throw new s(`--kubeconfig: the folder of ${e} does not exist`)}var B={name:"sim",summary:"Start the Kubernetes simulator as a cluster kubectl and the actions can use",usage:f,handlesSignals:!0,async run(t){let{values:e,positionals:i}=w({args:t.argv,allowPositionals:!1,options:{kubeconfig:{type:"string"},scenario:{type:"string"},speed:{type:"string"},namespace:{type:"string"},nodes:{type:"string"}}},f);if(!e.kubeconfig)throw new s(`--kubeconfig: give the path to write

${f}`);let o=h.resolve(t.cwd,e.kubeconfig),r=S("--speed",e.speed,1,!1),l=S("--nodes",e.nodes,3,!0),n=e.namespace??"default";if(!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(n))throw new s(`--namespace: "${n}" is not a valid namespace name (DNS-1123 label)`);let a={};if(e.scenario){let m=h.resolve(t.cwd,e.scenario),d;try{d=await P(m,"utf8")}catch(b){throw new s(`--scenario: cannot read ${e.scenario}: ${b.message}`)}a=y(d,e.scenario)}E(o,e.kubeconfig);let{startKubeSim:u}=await import("./chunk-F723YK2D.js"),p=await u({speed:r,nodes:l,namespace:n,kubeconfigPath:o,controllers:{scenario:a}});t.stdout(`kube-sim ready at ${p.url} (kubeconfig ${e.kubeconfig}, clock \xD7${r})
`),t.logger.info("press Ctrl-C to stop");let g=await new Promise(m=>{let d=b=>m(b);process.once("SIGINT",d),process.once("SIGTERM",d)});return t.logger.info(`${g}: stopping the simulator`),await p.stop(),await A(o,{force:!0}),0}};export{B as simCommand};
//# sourceMappingURL=chunk-JBJNRXRF.js.map
