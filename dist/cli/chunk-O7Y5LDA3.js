import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{b as ee}from"./chunk-FDGXX6QT.js";import{b as oe}from"./chunk-MMIFMIO7.js";import{b as Q}from"./chunk-VSXPM2V2.js";import{p as Y,r as Z}from"./chunk-HQ3IARRZ.js";import{a as w,d as X}from"./chunk-PUWR6B2E.js";import"./chunk-C3HX2ZDR.js";import"./chunk-V3XRHLU2.js";import"./chunk-AZPI2DGV.js";import{D as b}from"./chunk-OVCRCY3V.js";import{a as ae,c as te}from"./chunk-CRFCJLYZ.js";import{b as x,f as _,g as H,i as K,k as U}from"./chunk-FEETDHFA.js";import"./chunk-6DBWNISG.js";import{B as y,E as z,h as v,n as k,o as B,w as J,x as W}from"./chunk-5JS4AZ7Y.js";import"./chunk-E7ICWEJM.js";import{a as V}from"./chunk-UA46O6UC.js";import"./chunk-HSZVM7DA.js";import{a as G,i as F}from"./chunk-RFACM5MS.js";import"./chunk-2UNLCJKS.js";import{mkdtempSync as Ce,rmSync as Pe}from"node:fs";import{tmpdir as Ae}from"node:os";import ge from"node:path";import{mkdirSync as se,writeFileSync as ye}from"node:fs";import re from"node:path";var fe=`apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata: {name: shop-api, namespace: shop}
spec:
  rules: [{host: shop.example, http: {paths: [{path: /, backend: {serviceName: shop-api, servicePort: 80}}]}}]
---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {name: shop-report, namespace: shop}
spec:
  schedule: "0 3 * * *"
  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: r, image: ghcr.io/acme/report:2.1.0}]}}}}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
kind: FlowSchema
metadata: {name: shop-api}
spec:
  priorityLevelConfiguration: {name: workload-low}
  matchingPrecedence: 1000
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: shop-api, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: shop-api}
  minReplicas: 2
  maxReplicas: 10
`,ie={name:"api-check",async run(e){se(e.root,{recursive:!0});let t=re.join(e.root,"deploy","shop.yaml");se(re.dirname(t),{recursive:!0}),ye(t,fe);let a=async i=>{let r=await H({paths:["deploy"],cwd:e.root,targetVersion:i,keepGoing:!0});e.say(`upgrade-actions api-check --target-version ${i} deploy/`);for(let s of U(r.findings).split(`
`))e.say(`  ${s}`);return e.say(`  ${K(r.findings,`Kubernetes ${x(r.target)}`,r.objects)}.`),e.say(`  exit code ${_(r.findings)}`),e.say(""),r},o=await a("1.25"),n=await a("1.32"),m=(i,r)=>i.findings.filter(s=>s.status===r).map(s=>s.kind),c=[["upgrading to 1.25 is blocked (exit 4): the Ingress (v1beta1, removed in 1.22) and the CronJob (batch/v1beta1, removed in 1.25)",_(o.findings)===4&&m(o,"removed").sort().join(",")==="CronJob,Ingress"],["the FlowSchema on flowcontrol v1beta3 is flagged as not yet served at 1.25",m(o,"not-yet-available").includes("FlowSchema")],["at 1.32 the FlowSchema is removed too; autoscaling/v2 passes at both",m(n,"removed").includes("FlowSchema")&&![...o.findings,...n.findings].some(i=>i.kind==="HorizontalPodAutoscaler")]];for(let[i,r]of c)e.say(`${r?"\u2713":"\u2717 expected:"} ${i}`);return c.every(([,i])=>i)}};import{createServer as ve}from"node:http";function $(e,t){return{debug:()=>{},info:a=>{t?.test(a)||e.say(`  ${a}`)},warning:a=>e.say(`  warning: ${a}`),error:a=>e.say(`  error: ${a}`),group:(a,o)=>(e.say(`  \u25B8 ${a}`),o())}}var P="ghcr.io/acme/shop-api:1.5.0",S="ghcr.io/acme/shop-api:1.6.0",A="ghcr.io/acme/shop-api:1.7.0",ke=`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-api, namespace: shop}
spec:
  replicas: 4
  selector: {matchLabels: {app: shop-api}}
  template:
    metadata: {labels: {app: shop-api}}
    spec:
      containers: [{name: api, image: ghcr.io/acme/shop-api:1.5.0, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: shop-api, namespace: shop}
spec:
  selector: {app: shop-api}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop-api, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: shop-api, port: {number: 80}}}}]}
`;async function N(e,t){let a=ve((o,n)=>{let m=o.url==="/health"?t:404;n.writeHead(m,{"content-type":"application/json"}),n.end(JSON.stringify({version:e,status:m===200?"ok":"failing"}))});return await new Promise(o=>a.listen(0,"127.0.0.1",o)),{server:a,url:`http://127.0.0.1:${a.address().port}`}}var ne={name:"canary",async run(e){let t=await Promise.all([N("1.5.0",200),N("1.6.0",200),N("1.7.0",500)]),a=await b({speed:20,controllers:{events:!1,scenario:{[P]:{backend:t[0].url},[S]:{backend:t[1].url},[A]:{backend:t[2].url}}}}),o=new k(v({path:a.kubeconfigPath})),m=$(e,/^(Waiting for deployment|::)/),c=r=>{let s={client:o,access:o.access,manifests:y(ke,"deploy/shop-api.yaml"),namespace:"shop",overrides:w(`ghcr.io/acme/shop-api=${r}`),policy:{forbidLatest:!0,requireDigest:!1},router:"nginx",ingress:"shop-api",matches:[{kind:"header",name:"x-user-tier",value:"premium"}],steps:[25,50,100],timing:{stepIntervalMs:1e3,analysisIntervalMs:500},failureThreshold:2,analysis:{urls:["shop-api-canary:80/health"]},maxDurationMs:0,action:"run",identity:"upgrade-actions-demo",lockTimeoutMs:3e4,rolloutTimeoutMs:6e4,fieldManager:"upgrade-actions",logger:m};return ee(s)},i=async r=>o.get(r).then(()=>!1,()=>!0);try{e.say(`Kubernetes simulator at ${a.url}, router: ingress-nginx (a canary Ingress with canary-weight)`),e.say(""),e.say(`first release ${P}`);let r=await c(P);e.say(""),e.say(`canary ${S}: 25% \u2192 50% \u2192 100%, x-user-tier: premium always to the canary, GET /health every round`);let s=await c(S);e.say(""),e.say(`canary ${A} (its /health answers 500)`);let p=await c(A),d=await o.get("/apis/apps/v1/namespaces/shop/deployments/shop-api"),g=await Promise.all([i("/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop-api-canary"),i("/api/v1/namespaces/shop/services/shop-api-canary"),i("/apis/apps/v1/namespaces/shop/deployments/shop-api-canary")]),l=[[`${P} is the first release: applied directly, nothing to compare with`,r.phase==="promoted"],[`${S} went through every step (${s.state?.history.map(u=>`${u.weight}%`).join(" \u2192 ")}) and was promoted`,s.phase==="promoted"&&s.state?.history.length===3],[`${A} was aborted at its first gate (${p.trip?.check}: ${p.trip?.value}), weight back to 0`,p.phase==="aborted"&&p.step===0&&p.weight===0],[`${S} keeps serving, and no canary object is left`,d.spec.template.spec.containers[0].image===S&&g.every(Boolean)]];e.say("");for(let[u,O]of l)e.say(`${O?"\u2713":"\u2717 expected:"} ${u}`);return l.every(([,u])=>u)}finally{o.close(),await a.stop(),await Promise.all(t.map(r=>new Promise(s=>r.server.close(()=>s()))))}}};import{createServer as we}from"node:http";var f="ghcr.io/acme/shop-api:1.5.0",T="ghcr.io/acme/shop-api:1.6.0",be=`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: shop-api, namespace: shop}
spec:
  replicas: 4
  progressDeadlineSeconds: 60
  minReadySeconds: 5
  selector: {matchLabels: {app: shop-api}}
  strategy: {rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}}
  template:
    metadata: {labels: {app: shop-api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/shop-api:1.4.2
          ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: shop-api, namespace: shop}
spec:
  selector: {app: shop-api}
  ports: [{port: 80, targetPort: 8080}]
`;async function $e(){let e=we((t,a)=>{a.writeHead(t.url==="/health"?200:404,{"content-type":"application/json"}),a.end(JSON.stringify({status:t.url==="/health"?"ok":"not found",version:"1.5.0"}))});return await new Promise(t=>e.listen(0,"127.0.0.1",t)),{server:e,url:`http://127.0.0.1:${e.address().port}`}}var pe={name:"deploy-probe-rollback",async run(e){let t=await $e(),a=await b({speed:20,controllers:{events:!1,scenario:{[f]:{backend:t.url,startDelayMs:2e3},[T]:{ready:!1}}}}),o=new k(v({path:a.kubeconfigPath})),n=$(e),m=(c,i)=>{let r={client:o,access:o.access,manifests:y(be,"deploy/shop-api.yaml"),namespace:"shop",overrides:w(`ghcr.io/acme/shop-api=${c}`),changeCause:i,fieldManager:"upgrade-actions",serverSide:!0,wait:!0,timeoutMs:6e4,apiCheck:!0,policy:{forbidLatest:!0,requireDigest:!1},allowFailedRevision:!1,rollbackOnFailure:!0,identity:"upgrade-actions-demo",logger:n};return X(r)};try{e.say(`Kubernetes simulator at ${a.url} (kubeconfig ${a.kubeconfigPath}), clock \xD720`),e.say(""),e.say(`deploy ${f}`);let c=await m(f,"upgrade shop-api to 1.5.0"),i=c.release.workloads[0];e.say(""),e.say("health-probe: pods of the release, and GET /health through the API server\u2019s service proxy");let r=await Z({urls:["shop-api.shop:80/health"],expectedStatus:"200",timeout:"5s",mode:"once",duration:"0s",interval:"1s",failureThreshold:5},{release:c.release,client:o,logger:n});for(let l of r.report.checks)e.say(`  ${l.level.padEnd(8)} ${l.target.padEnd(48)} ${l.status}${l.latency===null?"":` ${l.latency} ms`}`);e.say(""),e.say(`deploy ${T} (its pods never become Ready)`);let s=await m(T,"upgrade shop-api to 1.6.0"),d=(await o.get("/apis/apps/v1/namespaces/shop/deployments/shop-api")).spec.template.spec.containers[0].image,g=[[i.revisionBefore===null?`${f} rolled out as a new workload (revision ${i.revisionAfter})`:`${f} rolled out (revision ${i.revisionBefore} \u2192 ${i.revisionAfter})`,c.failures.length===0],["the release is healthy at every level",r.outputs.status==="healthy"],[`${T} failed its rollout and was rolled back automatically`,s.failures.length===1&&!!s.rollback],[`the rollback was verified and ${f} runs again`,d===f&&(s.rollback?.outcomes??[]).every(l=>l.verified===!0)]];e.say("");for(let[l,u]of g)e.say(`${u?"\u2713":"\u2717 expected:"} ${l}`);return g.every(([,l])=>l)}finally{o.close(),await a.stop(),await new Promise(c=>t.server.close(()=>c()))}}};import{mkdirSync as ce,writeFileSync as Se}from"node:fs";import M from"node:path";var Me={...process.env,GIT_AUTHOR_NAME:"Demo Maintainer",GIT_AUTHOR_EMAIL:"maintainer@example.com",GIT_COMMITTER_NAME:"Demo Maintainer",GIT_COMMITTER_EMAIL:"maintainer@example.com",GIT_AUTHOR_DATE:"2026-01-01T00:00:00Z",GIT_COMMITTER_DATE:"2026-01-01T00:00:00Z",GIT_CONFIG_NOSYSTEM:"1",GIT_CONFIG_GLOBAL:"/dev/null",GIT_TERMINAL_PROMPT:"0"};async function h(e,...t){return(await F("git",t,{cwd:e,env:Me})).stdout.toString("utf8").trim()}function D(e){let t=a=>e.deadline?.at===a?[`  progressDeadlineSeconds: ${e.deadline.seconds}`]:[];return["apiVersion: apps/v1","kind: Deployment","metadata:","  name: shop-api","spec:",`  replicas: ${e.replicas}`,"  selector:","    matchLabels: {app: shop-api}",...t("top"),"  strategy:","    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}","  minReadySeconds: 30",...t("bottom"),"  template:","    metadata:","      labels: {app: shop-api}","    spec:","      containers:","        - name: api",`          image: ghcr.io/acme/shop-api:${e.image}`,"          readinessProbe: {httpGet: {path: /ready, port: 8080}}",`          resources: {limits: {memory: ${e.memory}}}`,""].join(`
`)}async function me(e){let t=M.join(e,"origin.git"),a=M.join(e,"maintainer"),o=M.join(e,"ci-checkout");for(let p of[t,a,o])ce(p,{recursive:!0});await h(t,"init","--quiet","--bare","--initial-branch=main"),await h(t,"config","uploadpack.allowAnySHA1InWant","true"),await h(a,"init","--quiet","--initial-branch=main"),await h(a,"remote","add","origin",t);let n=async(p,d)=>{for(let[g,l]of Object.entries(d))ce(M.dirname(M.join(a,g)),{recursive:!0}),Se(M.join(a,g),l);return await h(a,"add","--all"),await h(a,"commit","--quiet","-m",p),h(a,"rev-parse","HEAD")};await n("shop-api 1.4.2",{"deploy/shop-api.yaml":D({image:"1.4.2",replicas:3,memory:"256Mi"}),"README.md":`# shop
`}),await h(a,"checkout","--quiet","-b","upgrade/shop-api-1.5");let m=await n("Upgrade shop-api to 1.5.0",{"deploy/shop-api.yaml":D({image:"1.5.0",replicas:3,memory:"256Mi"})});await h(a,"checkout","--quiet","-b","upgrade/shop-api-1.5-ha","main");let c=await n("Upgrade shop-api to 1.5.0 with 4 replicas",{"deploy/shop-api.yaml":D({image:"1.5.0",replicas:4,memory:"256Mi"})});await h(a,"checkout","--quiet","-b","upgrade/shop-api-1.5-deadline","main");let i=await n("Upgrade shop-api to 1.5.0, fail rollouts after 5 minutes",{"deploy/shop-api.yaml":D({image:"1.5.0",replicas:3,memory:"256Mi",deadline:{at:"top",seconds:300}})});await h(a,"checkout","--quiet","main");let r={at:"bottom",seconds:600};await n("Raise shop-api memory limit, 10 minute progress deadline",{"deploy/shop-api.yaml":D({image:"1.4.2",replicas:3,memory:"512Mi",deadline:r})});let s=await n("Hotfix: 5 replicas for the sale",{"deploy/shop-api.yaml":D({image:"1.4.2",replicas:5,memory:"512Mi",deadline:r})});return await h(a,"push","--quiet","origin","main","upgrade/shop-api-1.5","upgrade/shop-api-1.5-ha"),await h(a,"push","--quiet","origin","upgrade/shop-api-1.5-deadline"),await h(o,"init","--quiet","--initial-branch=main"),await h(o,"remote","add","origin",`file://${t}`),await h(o,"fetch","--quiet","--no-tags","--depth=1","origin","main"),await h(o,"checkout","--quiet","--detach","FETCH_HEAD"),{origin:t,ci:o,base:s,prs:{clean:{branch:"upgrade/shop-api-1.5",sha:m},conflicting:{branch:"upgrade/shop-api-1.5-ha",sha:c},brokenManifest:{branch:"upgrade/shop-api-1.5-deadline",sha:i}}}}var le={name:"merge-check",async run(e){let t=await me(e.root);e.say(`origin ${t.origin}: main and 3 upgrade pull requests`),e.say(`CI checkout ${t.ci}: depth 1, as actions/checkout leaves it`);let a={debug:()=>{},info:s=>e.say(`  ${s}`),warning:s=>e.say(`  warning: ${s}`),error:s=>e.say(`  error: ${s}`),group:(s,p)=>p()},o=async(s,p)=>{e.say(""),e.say(`PR ${s} \u2192 main`);let d=await ae({cwd:t.ci,base:t.base,head:p,logger:a});for(let g of te({...d,baseRef:"main",headRef:s}).trimEnd().split(`
`))e.say(g?`  ${g}`:"");return d},n=await o(t.prs.clean.branch,t.prs.clean.sha),m=await o(t.prs.conflicting.branch,t.prs.conflicting.sha),c=await o(t.prs.brokenManifest.branch,t.prs.brokenManifest.sha),i=(s,p,d)=>s.files.length===1&&s.files[0].path==="deploy/shop-api.yaml"&&s.files[0].reason===p&&s.files[0].line===d,r=[["the clean PR passes",!n.conflicted],["the conflicting PR is blocked at deploy/shop-api.yaml:6 (content)",i(m,"content",6)],["the textually clean PR that duplicates a key is blocked at deploy/shop-api.yaml:13",i(c,"duplicate key",13)]];e.say("");for(let[s,p]of r)e.say(`${p?"\u2713":"\u2717 expected:"} ${s}`);return r.every(([,s])=>s)}};import{createServer as De}from"node:http";var I="ghcr.io/acme/checkout:2.3.0",R="ghcr.io/acme/checkout:2.4.0",E="ghcr.io/acme/checkout:2.5.0",de=e=>`
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers: [{name: checkout, image: "${e}", ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: checkout, namespace: shop}
spec:
  selector: {app: checkout}
  ports: [{port: 80, targetPort: 8080}]
`;async function q(e,t=1/0){let a=0,o=De((n,m)=>{let c=n.url==="/health"?++a<=t?200:500:404;m.writeHead(c,{"content-type":"application/json"}),m.end(JSON.stringify({version:e,status:c===200?"ok":"failing"}))});return await new Promise(n=>o.listen(0,"127.0.0.1",n)),{server:o,url:`http://127.0.0.1:${o.address().port}`}}var he={name:"promote",async run(e){let t=await Promise.all([q("2.3.0"),q("2.4.0"),q("2.5.0",4)]),a=await b({speed:20,controllers:{events:!1,scenario:{[I]:{backend:t[0].url},[R]:{backend:t[1].url},[E]:{backend:t[2].url}}}}),o=v({path:a.kubeconfigPath}),n=new k(o),c=$(e,/^(Waiting for deployment|::)/),i=p=>{let d={client:n,namespace:"shop",manifests:y(de(I),"deploy/checkout.yaml"),overrides:w(`ghcr.io/acme/checkout=${p}`),policy:{forbidLatest:!0,requireDigest:!1},timing:{validationMs:1500,watchMs:3e3,scaleDownDelayMs:200,intervalMs:500},failureThreshold:2,analysis:g=>Q({urls:["checkout-preview:80/health"]},{vars:{...g,interval:"1s"},api:Y(o,g.namespace)}),maxDurationMs:0,action:"run",lockTimeoutMs:3e4,readyTimeoutMs:6e4,identity:"upgrade-actions-demo",logger:c};return oe(d)},r=async()=>(await n.get("/api/v1/namespaces/shop/services/checkout")).spec.selector,s=async()=>JSON.parse(await n.request("GET","/api/v1/namespaces/shop/services/checkout:80/proxy/health").then(p=>typeof p=="string"?p:JSON.stringify(p))).version;try{e.say(`Kubernetes simulator at ${a.url}; blue-green behind Service shop/checkout`),e.say(""),e.say(`${I} serves (deployed as deploy leaves it)`),await z(n,y(de(I),"deploy/checkout.yaml"),{fieldManager:"upgrade-actions",namespace:"shop"});let p=await J(n,new B(n),{type:"deploy",name:"checkout",namespace:"shop"});await W(n,p,{timeoutMs:6e4,onMessage:()=>{}}),e.say(""),e.say(`promote ${R}: validate through checkout-preview, switch, watch, scale blue down`);let d=await i(R),g=await s();e.say(""),e.say(`promote ${E} (its /health starts failing once it has served a few requests)`);let l=await i(E),u=await r(),O=await s(),j=[[`${R} was validated, switched to and watched: checkout-green serves, blue scaled down`,d.phase==="promoted"&&d.active==="checkout-green"&&g==="2.4.0"],[`${E} failed during the watch (${l.trip?.check}: ${l.trip?.value}) and the selector went back to checkout-green ${l.switchBackMs??"?"} ms after the failed round`,l.phase==="rolled-back"&&l.active==="checkout-green"],[`2.4.0 serves again and the Service selects checkout-green alone (${JSON.stringify(u)})`,O==="2.4.0"&&u["promote.upgrade-actions.io/colour"]==="green"]];e.say("");for(let[L,ue]of j)e.say(`${ue?"\u2713":"\u2717 expected:"} ${L}`);return j.every(([,L])=>L)}finally{n.close(),await a.stop(),await Promise.all(t.map(p=>new Promise(d=>p.server.close(()=>d()))))}}};var C=[le,ie,pe,ne,he],Te={name:"demo",summary:"Run the pipeline demo on repositories and a cluster it creates itself",usage:`upgrade-actions demo [--stage NAME]... [--keep]

Creates a demo origin repository with upgrade pull requests in a temp folder and runs merge-check on a
clean, a conflicting and a manifest-breaking pull request; then, on the embedded Kubernetes simulator,
deploys the upgrade, probes its health, ships a bad upgrade and watches it roll back automatically;
then canaries a good upgrade through an ingress-nginx canary Ingress to promotion and aborts a bad one;
then promotes a release blue-green and switches a failing one back to blue during its watch.
Exits 0 when every stage behaved as expected.

  --stage NAME   run only this stage (repeatable): `+C.map(e=>e.name).join(", ")+`
  --keep         keep the demo folders and print where they are`,async run(e){let{keep:t,stage:a}=V({args:e.argv,options:{keep:{type:"boolean",default:!1},stage:{type:"string",multiple:!0}}},Te.usage).values,o=(a??[]).filter(i=>!C.some(r=>r.name===i));if(o.length)throw new G(`--stage: no stage named ${o.join(", ")}; the stages are ${C.map(i=>i.name).join(", ")}`);let n=a?.length?C.filter(i=>a.includes(i.name)):C,m=Ce(ge.join(Ae(),"upgrade-actions-demo-"));e.stdout(`upgrade-actions demo in ${m}${t?" (kept)":" (removed at the end; --keep keeps it)"}
`);let c=[];try{for(let[i,r]of n.entries())e.stdout(`
\u2500\u2500 ${i+1}. ${r.name}
`),await r.run({root:ge.join(m,r.name),say:p=>e.stdout(p?`   ${p}
`:`
`)})||c.push(r.name)}finally{t||Pe(m,{recursive:!0,force:!0})}return e.stdout(c.length?`
demo: ${c.join(", ")} did not behave as expected
`:`
demo: all ${n.length} stage(s) behaved as expected
`),c.length?1:0}};export{Te as demoCommand,C as demoStages};
//# sourceMappingURL=chunk-O7Y5LDA3.js.map
