import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);
import{a as s}from"./chunk-H5A4WCHA.js";import{parseArgs as p}from"node:util";function g(n){let r=/^Unknown option '([^']+)'/.exec(n);if(r)return`unknown option ${r[1]}`;let e=/^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(n);if(e)return`${e[2]} needs a value`;let o=/^Option '(-\w, )?(--[\w-]+)' does not take an argument/.exec(n);if(o)return`${o[2]} takes no value`;let t=/^Unexpected argument '([^']+)'/.exec(n);return t?`unexpected argument ${t[1]}`:n.replace(/\.$/,"")}function c(n,r){try{return p(n)}catch(e){throw new s(`${g(e.message)}

${r}`)}}function f(n,r){if(!r)return n;let e=n;for(let[o,t]of Object.entries(r)){let i=o.replace(/[.*+?^${}()|[\]\\]/g,"\\$&");e=e.replace(new RegExp(`(?<![\\w-])${i}(?=:)`,"g"),t).replace(new RegExp(`(?<=\\b(?:set|give) )${i}(?![\\w-])`,"g"),t)}return e}export{c as a,f as b};
//# sourceMappingURL=chunk-TO4ALRY6.js.map
