import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{c as O}from"./chunk-74DBLMZN.js";import{a as S,d as E}from"./chunk-UKNQGMAY.js";import{r as R}from"./chunk-TSUS3NOF.js";import"./chunk-XMS5T2T2.js";import"./chunk-EC6NQPYO.js";import"./chunk-PXGICYSO.js";import{D as M}from"./chunk-JXOI5ESK.js";import{a as _,c as q}from"./chunk-252PITMD.js";import"./chunk-U5N7OCY4.js";import{A as $,h as v,n as k}from"./chunk-URC4ULRF.js";import{a as P}from"./chunk-3UASRHTV.js";import"./chunk-X4GQNKU5.js";import{m as C}from"./chunk-OXK3ITVL.js";import{mkdtempSync as z,rmSync as Q}from"node:fs";import{tmpdir as X}from"node:os";import U from"node:path";import{createServer as B}from"node:http";var D="ghcr.io/acme/shop-api:1.5.0",f="ghcr.io/acme/shop-api:1.6.0",T="ghcr.io/acme/shop-api:1.7.0",K=`
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
`;async function I(e,a){let t=B((s,c)=>{let d=s.url==="/health"?a:404;c.writeHead(d,{"content-type":"application/json"}),c.end(JSON.stringify({version:e,status:d===200?"ok":"failing"}))});return await new Promise(s=>t.listen(0,"127.0.0.1",s)),{server:t,url:`http://127.0.0.1:${t.address().port}`}}var G={name:"canary",async run(e){let a=await Promise.all([I("1.5.0",200),I("1.6.0",200),I("1.7.0",500)]),t=await M({speed:20,controllers:{events:!1,scenario:{[D]:{backend:a[0].url},[f]:{backend:a[1].url},[T]:{backend:a[2].url}}}}),s=new k(v({path:t.kubeconfigPath})),c=/^(Waiting for deployment|::)/,d={debug:()=>{},info:r=>!c.test(r)&&e.say(`  ${r}`),warning:r=>e.say(`  warning: ${r}`),error:r=>e.say(`  error: ${r}`),group:(r,o)=>(e.say(`  \u25B8 ${r}`),o())},i=r=>{let o={client:s,access:s.access,manifests:$(K,"deploy/shop-api.yaml"),namespace:"shop",overrides:S(`ghcr.io/acme/shop-api=${r}`),policy:{forbidLatest:!0,requireDigest:!1},router:"nginx",ingress:"shop-api",matches:[{kind:"header",name:"x-user-tier",value:"premium"}],steps:[25,50,100],timing:{stepIntervalMs:1e3,analysisIntervalMs:500},failureThreshold:2,analysis:{urls:["shop-api-canary:80/health"]},maxDurationMs:0,action:"run",identity:"upgrade-actions-demo",lockTimeoutMs:3e4,rolloutTimeoutMs:6e4,fieldManager:"upgrade-actions",logger:d};return O(o)},n=async r=>s.get(r).then(()=>!1,()=>!0);try{e.say(`Kubernetes simulator at ${t.url}, router: ingress-nginx (a canary Ingress with canary-weight)`),e.say(""),e.say(`first release ${D}`);let r=await i(D);e.say(""),e.say(`canary ${f}: 25% \u2192 50% \u2192 100%, x-user-tier: premium always to the canary, GET /health every round`);let o=await i(f);e.say(""),e.say(`canary ${T} (its /health answers 500)`);let m=await i(T),h=await s.get("/apis/apps/v1/namespaces/shop/deployments/shop-api"),g=await Promise.all([n("/apis/networking.k8s.io/v1/namespaces/shop/ingresses/shop-api-canary"),n("/api/v1/namespaces/shop/services/shop-api-canary"),n("/apis/apps/v1/namespaces/shop/deployments/shop-api-canary")]),p=[[`${D} is the first release: applied directly, nothing to compare with`,r.phase==="promoted"],[`${f} went through every step (${o.state?.history.map(u=>`${u.weight}%`).join(" \u2192 ")}) and was promoted`,o.phase==="promoted"&&o.state?.history.length===3],[`${T} was aborted at its first gate (${m.trip?.check}: ${m.trip?.value}), weight back to 0`,m.phase==="aborted"&&m.step===0&&m.weight===0],[`${f} keeps serving, and no canary object is left`,h.spec.template.spec.containers[0].image===f&&g.every(Boolean)]];e.say("");for(let[u,V]of p)e.say(`${V?"\u2713":"\u2717 expected:"} ${u}`);return p.every(([,u])=>u)}finally{s.close(),await t.stop(),await Promise.all(a.map(r=>new Promise(o=>r.server.close(()=>o()))))}}};import{createServer as x}from"node:http";var y="ghcr.io/acme/shop-api:1.5.0",A="ghcr.io/acme/shop-api:1.6.0",J=`
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
`;async function W(){let e=x((a,t)=>{t.writeHead(a.url==="/health"?200:404,{"content-type":"application/json"}),t.end(JSON.stringify({status:a.url==="/health"?"ok":"not found",version:"1.5.0"}))});return await new Promise(a=>e.listen(0,"127.0.0.1",a)),{server:e,url:`http://127.0.0.1:${e.address().port}`}}var L={name:"deploy-probe-rollback",async run(e){let a=await W(),t=await M({speed:20,controllers:{events:!1,scenario:{[y]:{backend:a.url,startDelayMs:2e3},[A]:{ready:!1}}}}),s=new k(v({path:t.kubeconfigPath})),c={debug:()=>{},info:i=>e.say(`  ${i}`),warning:i=>e.say(`  warning: ${i}`),error:i=>e.say(`  error: ${i}`),group:(i,n)=>(e.say(`  \u25B8 ${i}`),n())},d=(i,n)=>{let r={client:s,access:s.access,manifests:$(J,"deploy/shop-api.yaml"),namespace:"shop",overrides:S(`ghcr.io/acme/shop-api=${i}`),changeCause:n,fieldManager:"upgrade-actions",serverSide:!0,wait:!0,timeoutMs:6e4,apiCheck:!0,policy:{forbidLatest:!0,requireDigest:!1},allowFailedRevision:!1,rollbackOnFailure:!0,identity:"upgrade-actions-demo",logger:c};return E(r)};try{e.say(`Kubernetes simulator at ${t.url} (kubeconfig ${t.kubeconfigPath}), clock \xD720`),e.say(""),e.say(`deploy ${y}`);let i=await d(y,"upgrade shop-api to 1.5.0"),n=i.release.workloads[0];e.say(""),e.say("health-probe: pods of the release, and GET /health through the API server\u2019s service proxy");let r=await R({urls:["shop-api.shop:80/health"],expectedStatus:"200",timeout:"5s",mode:"once",duration:"0s",interval:"1s",failureThreshold:5},{release:i.release,client:s,logger:c});for(let p of r.report.checks)e.say(`  ${p.level.padEnd(8)} ${p.target.padEnd(48)} ${p.status}${p.latency===null?"":` ${p.latency} ms`}`);e.say(""),e.say(`deploy ${A} (its pods never become Ready)`);let o=await d(A,"upgrade shop-api to 1.6.0");for(let p of o.failures)e.say(`  rollout failed: ${p.message}`);for(let p of o.rollback?.outcomes??[])e.say(`  rollback: ${p.message}`);let h=(await s.get("/apis/apps/v1/namespaces/shop/deployments/shop-api")).spec.template.spec.containers[0].image,g=[[n.revisionBefore===null?`${y} rolled out as a new workload (revision ${n.revisionAfter})`:`${y} rolled out (revision ${n.revisionBefore} \u2192 ${n.revisionAfter})`,i.failures.length===0],["the release is healthy at every level",r.outputs.status==="healthy"],[`${A} failed its rollout and was rolled back automatically`,o.failures.length===1&&!!o.rollback],[`the rollback was verified and ${y} runs again`,h===y&&(o.rollback?.outcomes??[]).every(p=>p.verified===!0)]];e.say("");for(let[p,u]of g)e.say(`${u?"\u2713":"\u2717 expected:"} ${p}`);return g.every(([,p])=>p)}finally{s.close(),await t.stop(),await new Promise(i=>a.server.close(()=>i()))}}};import{mkdirSync as j,writeFileSync as Z}from"node:fs";import b from"node:path";var Y={...process.env,GIT_AUTHOR_NAME:"Demo Maintainer",GIT_AUTHOR_EMAIL:"maintainer@example.com",GIT_COMMITTER_NAME:"Demo Maintainer",GIT_COMMITTER_EMAIL:"maintainer@example.com",GIT_AUTHOR_DATE:"2026-01-01T00:00:00Z",GIT_COMMITTER_DATE:"2026-01-01T00:00:00Z",GIT_CONFIG_NOSYSTEM:"1",GIT_CONFIG_GLOBAL:"/dev/null",GIT_TERMINAL_PROMPT:"0"};async function l(e,...a){return(await C("git",a,{cwd:e,env:Y})).stdout.toString("utf8").trim()}function w(e){let a=t=>e.deadline?.at===t?[`  progressDeadlineSeconds: ${e.deadline.seconds}`]:[];return["apiVersion: apps/v1","kind: Deployment","metadata:","  name: shop-api","spec:",`  replicas: ${e.replicas}`,"  selector:","    matchLabels: {app: shop-api}",...a("top"),"  strategy:","    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}","  minReadySeconds: 30",...a("bottom"),"  template:","    metadata:","      labels: {app: shop-api}","    spec:","      containers:","        - name: api",`          image: ghcr.io/acme/shop-api:${e.image}`,"          readinessProbe: {httpGet: {path: /ready, port: 8080}}",`          resources: {limits: {memory: ${e.memory}}}`,""].join(`
`)}async function N(e){let a=b.join(e,"origin.git"),t=b.join(e,"maintainer"),s=b.join(e,"ci-checkout");for(let m of[a,t,s])j(m,{recursive:!0});await l(a,"init","--quiet","--bare","--initial-branch=main"),await l(a,"config","uploadpack.allowAnySHA1InWant","true"),await l(t,"init","--quiet","--initial-branch=main"),await l(t,"remote","add","origin",a);let c=async(m,h)=>{for(let[g,p]of Object.entries(h))j(b.dirname(b.join(t,g)),{recursive:!0}),Z(b.join(t,g),p);return await l(t,"add","--all"),await l(t,"commit","--quiet","-m",m),l(t,"rev-parse","HEAD")};await c("shop-api 1.4.2",{"deploy/shop-api.yaml":w({image:"1.4.2",replicas:3,memory:"256Mi"}),"README.md":`# shop
`}),await l(t,"checkout","--quiet","-b","upgrade/shop-api-1.5");let d=await c("Upgrade shop-api to 1.5.0",{"deploy/shop-api.yaml":w({image:"1.5.0",replicas:3,memory:"256Mi"})});await l(t,"checkout","--quiet","-b","upgrade/shop-api-1.5-ha","main");let i=await c("Upgrade shop-api to 1.5.0 with 4 replicas",{"deploy/shop-api.yaml":w({image:"1.5.0",replicas:4,memory:"256Mi"})});await l(t,"checkout","--quiet","-b","upgrade/shop-api-1.5-deadline","main");let n=await c("Upgrade shop-api to 1.5.0, fail rollouts after 5 minutes",{"deploy/shop-api.yaml":w({image:"1.5.0",replicas:3,memory:"256Mi",deadline:{at:"top",seconds:300}})});await l(t,"checkout","--quiet","main");let r={at:"bottom",seconds:600};await c("Raise shop-api memory limit, 10 minute progress deadline",{"deploy/shop-api.yaml":w({image:"1.4.2",replicas:3,memory:"512Mi",deadline:r})});let o=await c("Hotfix: 5 replicas for the sale",{"deploy/shop-api.yaml":w({image:"1.4.2",replicas:5,memory:"512Mi",deadline:r})});return await l(t,"push","--quiet","origin","main","upgrade/shop-api-1.5","upgrade/shop-api-1.5-ha"),await l(t,"push","--quiet","origin","upgrade/shop-api-1.5-deadline"),await l(s,"init","--quiet","--initial-branch=main"),await l(s,"remote","add","origin",`file://${a}`),await l(s,"fetch","--quiet","--no-tags","--depth=1","origin","main"),await l(s,"checkout","--quiet","--detach","FETCH_HEAD"),{origin:a,ci:s,base:o,prs:{clean:{branch:"upgrade/shop-api-1.5",sha:d},conflicting:{branch:"upgrade/shop-api-1.5-ha",sha:i},brokenManifest:{branch:"upgrade/shop-api-1.5-deadline",sha:n}}}}var H={name:"merge-check",async run(e){let a=await N(e.root);e.say(`origin ${a.origin}: main and 3 upgrade pull requests`),e.say(`CI checkout ${a.ci}: depth 1, as actions/checkout leaves it`);let t={debug:()=>{},info:o=>e.say(`  ${o}`),warning:o=>e.say(`  warning: ${o}`),error:o=>e.say(`  error: ${o}`),group:(o,m)=>m()},s=async(o,m)=>{e.say(""),e.say(`PR ${o} \u2192 main`);let h=await _({cwd:a.ci,base:a.base,head:m,logger:t});for(let g of q({...h,baseRef:"main",headRef:o}).trimEnd().split(`
`))e.say(g?`  ${g}`:"");return h},c=await s(a.prs.clean.branch,a.prs.clean.sha),d=await s(a.prs.conflicting.branch,a.prs.conflicting.sha),i=await s(a.prs.brokenManifest.branch,a.prs.brokenManifest.sha),n=(o,m,h)=>o.files.length===1&&o.files[0].path==="deploy/shop-api.yaml"&&o.files[0].reason===m&&o.files[0].line===h,r=[["the clean PR passes",!c.conflicted],["the conflicting PR is blocked at deploy/shop-api.yaml:6 (content)",n(d,"content",6)],["the textually clean PR that duplicates a key is blocked at deploy/shop-api.yaml:13",n(i,"duplicate key",13)]];e.say("");for(let[o,m]of r)e.say(`${m?"\u2713":"\u2717 expected:"} ${o}`);return r.every(([,o])=>o)}};var F=[H,L,G],ee={name:"demo",summary:"Run the pipeline demo on repositories and a cluster it creates itself",usage:`upgrade-actions demo [--keep]

Creates a demo origin repository with upgrade pull requests in a temp folder and runs merge-check on a
clean, a conflicting and a manifest-breaking pull request; then, on the embedded Kubernetes simulator,
deploys the upgrade, probes its health, ships a bad upgrade and watches it roll back automatically;
then canaries a good upgrade through an ingress-nginx canary Ingress to promotion and aborts a bad one.
Exits 0 when every stage behaved as expected.

  --keep   keep the demo folders and print where they are`,async run(e){let a=P({args:e.argv,options:{keep:{type:"boolean",default:!1}}},ee.usage).values.keep,t=z(U.join(X(),"upgrade-actions-demo-"));e.stdout(`upgrade-actions demo in ${t}${a?" (kept)":" (removed at the end; --keep keeps it)"}
`);let s=[];try{for(let[c,d]of F.entries())e.stdout(`
\u2500\u2500 ${c+1}. ${d.name}
`),await d.run({root:U.join(t,d.name),say:n=>e.stdout(n?`   ${n}
`:`
`)})||s.push(d.name)}finally{a||Q(t,{recursive:!0,force:!0})}return e.stdout(s.length?`
demo: ${s.join(", ")} did not behave as expected
`:`
demo: all ${F.length} stage(s) behaved as expected
`),s.length?1:0}};export{ee as demoCommand,F as demoStages};
//# sourceMappingURL=chunk-HLRX4HKE.js.map
