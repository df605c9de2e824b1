import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as S,b as D}from"./chunk-JNDG5GWT.js";import{j as T}from"./chunk-3ZDIGXJ5.js";import"./chunk-XMS5T2T2.js";import"./chunk-V7XZTPWO.js";import"./chunk-PXGICYSO.js";import{D as R}from"./chunk-JXOI5ESK.js";import{a as A,c as C}from"./chunk-252PITMD.js";import"./chunk-HLNT5DI5.js";import{f as v,k as $,x as M}from"./chunk-LEGBNNVT.js";import{a as w}from"./chunk-3UASRHTV.js";import"./chunk-X4GQNKU5.js";import{m as k}from"./chunk-OXK3ITVL.js";import{mkdtempSync as F,rmSync as B}from"node:fs";import{tmpdir as K}from"node:os";import O from"node:path";import{createServer as L}from"node:http";var h="ghcr.io/acme/shop-api:1.5.0",b="ghcr.io/acme/shop-api:1.6.0",j=`
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
`;async function U(){let e=L((a,o)=>{o.writeHead(a.url==="/health"?200:404,{"content-type":"application/json"}),o.end(JSON.stringify({status:a.url==="/health"?"ok":"not found",version:"1.5.0"}))});return await new Promise(a=>e.listen(0,"127.0.0.1",a)),{server:e,url:`http://127.0.0.1:${e.address().port}`}}var I={name:"deploy-probe-rollback",async run(e){let a=await U(),o=await R({speed:20,controllers:{events:!1,scenario:{[h]:{backend:a.url,startDelayMs:2e3},[b]:{ready:!1}}}}),i=new $(v({path:o.kubeconfigPath})),c={debug:()=>{},info:s=>e.say(`  ${s}`),warning:s=>e.say(`  warning: ${s}`),error:s=>e.say(`  error: ${s}`),group:(s,p)=>(e.say(`  \u25B8 ${s}`),p())},m=(s,p)=>{let d={client:i,access:i.access,manifests:M(j,"deploy/shop-api.yaml"),namespace:"shop",overrides:S(`ghcr.io/acme/shop-api=${s}`),changeCause:p,fieldManager:"upgrade-actions",serverSide:!0,wait:!0,timeoutMs:6e4,apiCheck:!0,policy:{forbidLatest:!0,requireDigest:!1},allowFailedRevision:!1,rollbackOnFailure:!0,identity:"upgrade-actions-demo",logger:c};return D(d)};try{e.say(`Kubernetes simulator at ${o.url} (kubeconfig ${o.kubeconfigPath}), clock \xD720`),e.say(""),e.say(`deploy ${h}`);let s=await m(h,"upgrade shop-api to 1.5.0"),p=s.release.workloads[0];e.say(""),e.say("health-probe: pods of the release, and GET /health through the API server\u2019s service proxy");let d=await T({urls:["shop-api.shop:80/health"],expectedStatus:"200",timeout:"5s",mode:"once",duration:"0s",interval:"1s",failureThreshold:5},{release:s.release,client:i,logger:c});for(let r of d.report.checks)e.say(`  ${r.level.padEnd(8)} ${r.target.padEnd(48)} ${r.status}${r.latency===null?"":` ${r.latency} ms`}`);e.say(""),e.say(`deploy ${b} (its pods never become Ready)`);let t=await m(b,"upgrade shop-api to 1.6.0");for(let r of t.failures)e.say(`  rollout failed: ${r.message}`);for(let r of t.rollback?.outcomes??[])e.say(`  rollback: ${r.message}`);let g=(await i.get("/apis/apps/v1/namespaces/shop/deployments/shop-api")).spec.template.spec.containers[0].image,u=[[p.revisionBefore===null?`${h} rolled out as a new workload (revision ${p.revisionAfter})`:`${h} rolled out (revision ${p.revisionBefore} \u2192 ${p.revisionAfter})`,s.failures.length===0],["the release is healthy at every level",d.outputs.status==="healthy"],[`${b} failed its rollout and was rolled back automatically`,t.failures.length===1&&!!t.rollback],[`the rollback was verified and ${h} runs again`,g===h&&(t.rollback?.outcomes??[]).every(r=>r.verified===!0)]];e.say("");for(let[r,G]of u)e.say(`${G?"\u2713":"\u2717 expected:"} ${r}`);return u.every(([,r])=>r)}finally{i.close(),await o.stop(),await new Promise(s=>a.server.close(()=>s()))}}};import{mkdirSync as E,writeFileSync as H}from"node:fs";import y from"node:path";var N={...process.env,GIT_AUTHOR_NAME:"Demo Maintainer",GIT_AUTHOR_EMAIL:"maintainer@example.com",GIT_COMMITTER_NAME:"Demo Maintainer",GIT_COMMITTER_EMAIL:"maintainer@example.com",GIT_AUTHOR_DATE:"2026-01-01T00:00:00Z",GIT_COMMITTER_DATE:"2026-01-01T00:00:00Z",GIT_CONFIG_NOSYSTEM:"1",GIT_CONFIG_GLOBAL:"/dev/null",GIT_TERMINAL_PROMPT:"0"};async function n(e,...a){return(await k("git",a,{cwd:e,env:N})).stdout.toString("utf8").trim()}function f(e){let a=o=>e.deadline?.at===o?[`  progressDeadlineSeconds: ${e.deadline.seconds}`]:[];return["apiVersion: apps/v1","kind: Deployment","metadata:","  name: shop-api","spec:",`  replicas: ${e.replicas}`,"  selector:","    matchLabels: {app: shop-api}",...a("top"),"  strategy:","    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}","  minReadySeconds: 30",...a("bottom"),"  template:","    metadata:","      labels: {app: shop-api}","    spec:","      containers:","        - name: api",`          image: ghcr.io/acme/shop-api:${e.image}`,"          readinessProbe: {httpGet: {path: /ready, port: 8080}}",`          resources: {limits: {memory: ${e.memory}}}`,""].join(`
`)}async function P(e){let a=y.join(e,"origin.git"),o=y.join(e,"maintainer"),i=y.join(e,"ci-checkout");for(let l of[a,o,i])E(l,{recursive:!0});await n(a,"init","--quiet","--bare","--initial-branch=main"),await n(a,"config","uploadpack.allowAnySHA1InWant","true"),await n(o,"init","--quiet","--initial-branch=main"),await n(o,"remote","add","origin",a);let c=async(l,g)=>{for(let[u,r]of Object.entries(g))E(y.dirname(y.join(o,u)),{recursive:!0}),H(y.join(o,u),r);return await n(o,"add","--all"),await n(o,"commit","--quiet","-m",l),n(o,"rev-parse","HEAD")};await c("shop-api 1.4.2",{"deploy/shop-api.yaml":f({image:"1.4.2",replicas:3,memory:"256Mi"}),"README.md":`# shop
`}),await n(o,"checkout","--quiet","-b","upgrade/shop-api-1.5");let m=await c("Upgrade shop-api to 1.5.0",{"deploy/shop-api.yaml":f({image:"1.5.0",replicas:3,memory:"256Mi"})});await n(o,"checkout","--quiet","-b","upgrade/shop-api-1.5-ha","main");let s=await c("Upgrade shop-api to 1.5.0 with 4 replicas",{"deploy/shop-api.yaml":f({image:"1.5.0",replicas:4,memory:"256Mi"})});await n(o,"checkout","--quiet","-b","upgrade/shop-api-1.5-deadline","main");let p=await c("Upgrade shop-api to 1.5.0, fail rollouts after 5 minutes",{"deploy/shop-api.yaml":f({image:"1.5.0",replicas:3,memory:"256Mi",deadline:{at:"top",seconds:300}})});await n(o,"checkout","--quiet","main");let d={at:"bottom",seconds:600};await c("Raise shop-api memory limit, 10 minute progress deadline",{"deploy/shop-api.yaml":f({image:"1.4.2",replicas:3,memory:"512Mi",deadline:d})});let t=await c("Hotfix: 5 replicas for the sale",{"deploy/shop-api.yaml":f({image:"1.4.2",replicas:5,memory:"512Mi",deadline:d})});return await n(o,"push","--quiet","origin","main","upgrade/shop-api-1.5","upgrade/shop-api-1.5-ha"),await n(o,"push","--quiet","origin","upgrade/shop-api-1.5-deadline"),await n(i,"init","--quiet","--initial-branch=main"),await n(i,"remote","add","origin",`file://${a}`),await n(i,"fetch","--quiet","--no-tags","--depth=1","origin","main"),await n(i,"checkout","--quiet","--detach","FETCH_HEAD"),{origin:a,ci:i,base:t,prs:{clean:{branch:"upgrade/shop-api-1.5",sha:m},conflicting:{branch:"upgrade/shop-api-1.5-ha",sha:s},brokenManifest:{branch:"upgrade/shop-api-1.5-deadline",sha:p}}}}var _={name:"merge-check",async run(e){let a=await P(e.root);e.say(`origin ${a.origin}: main and 3 upgrade pull requests`),e.say(`CI checkout ${a.ci}: depth 1, as actions/checkout leaves it`);let o={debug:()=>{},info:t=>e.say(`  ${t}`),warning:t=>e.say(`  warning: ${t}`),error:t=>e.say(`  error: ${t}`),group:(t,l)=>l()},i=async(t,l)=>{e.say(""),e.say(`PR ${t} \u2192 main`);let g=await A({cwd:a.ci,base:a.base,head:l,logger:o});for(let u of C({...g,baseRef:"main",headRef:t}).trimEnd().split(`
`))e.say(u?`  ${u}`:"");return g},c=await i(a.prs.clean.branch,a.prs.clean.sha),m=await i(a.prs.conflicting.branch,a.prs.conflicting.sha),s=await i(a.prs.brokenManifest.branch,a.prs.brokenManifest.sha),p=(t,l,g)=>t.files.length===1&&t.files[0].path==="deploy/shop-api.yaml"&&t.files[0].reason===l&&t.files[0].line===g,d=[["the clean PR passes",!c.conflicted],["the conflicting PR is blocked at deploy/shop-api.yaml:6 (content)",p(m,"content",6)],["the textually clean PR that duplicates a key is blocked at deploy/shop-api.yaml:13",p(s,"duplicate key",13)]];e.say("");for(let[t,l]of d)e.say(`${l?"\u2713":"\u2717 expected:"} ${t}`);return d.every(([,t])=>t)}};var q=[_,I],V={name:"demo",summary:"Run the pipeline demo on repositories and a cluster it creates itself",usage:`upgrade-actions demo [--keep]

Creates a demo origin repository with upgrade pull requests in a temp folder and runs merge-check on a
clean, a conflicting and a manifest-breaking pull request; then, on the embedded Kubernetes simulator,
deploys the upgrade, probes its health, ships a bad upgrade and watches it roll back automatically.
Exits 0 when every stage behaved as expected.

  --keep   keep the demo folders and print where they are`,async run(e){let a=w({args:e.argv,options:{keep:{type:"boolean",default:!1}}},V.usage).values.keep,o=F(O.join(K(),"upgrade-actions-demo-"));e.stdout(`upgrade-actions demo in ${o}${a?" (kept)":" (removed at the end; --keep keeps it)"}
`);let i=[];try{for(let[c,m]of q.entries())e.stdout(`
\u2500\u2500 ${c+1}. ${m.name}
`),await m.run({root:O.join(o,m.name),say:p=>e.stdout(p?`   ${p}
`:`
`)})||i.push(m.name)}finally{a||B(o,{recursive:!0,force:!0})}return e.stdout(i.length?`
demo: ${i.join(", ")} did not behave as expected
`:`
demo: all ${q.length} stage(s) behaved as expected
`),i.length?1:0}};export{V as demoCommand,q as demoStages};
//# sourceMappingURL=chunk-7UXV26AK.js.map
