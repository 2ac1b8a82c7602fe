// validate-k8s.js FILE.yaml: validate every object of a rendered chart against the Kubernetes OpenAPI schemas
// bundled in kubernetes-models@4 (offline; a kubeconform stand-in). Needs `npm install kubernetes-models@4 yaml@2`
// in NODE_PATH or the working directory. Exit 1 when any object is invalid or of an unknown kind.
const fs = require('fs');
const YAML = require('yaml');
let bad = 0, ok = 0;
for (const d of YAML.parseAllDocuments(fs.readFileSync(process.argv[2], 'utf8'))) {
  if (d.errors.length) { console.error('YAML error:', d.errors[0].message); bad++; continue; }
  const obj = d.toJSON();
  if (!obj) continue;
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : [null, obj.apiVersion];
  let Model;
  try { Model = require(`kubernetes-models/${group ? group + '/' : ''}${version}`)[obj.kind]; } catch (e) { /* unknown */ }
  const name = `${obj.apiVersion} ${obj.kind}/${obj.metadata && obj.metadata.name}`;
  if (!Model) { console.error(`UNKNOWN ${name}`); bad++; continue; }
  try { new Model(obj).validate(); console.log(`VALID   ${name}`); ok++; }
  catch (e) { console.error(`INVALID ${name}: ${e.message}`); bad++; }
}
// not "N passed, N failed": CI reads that form as a test-runner summary
console.log(`validated: ${ok} ok, ${bad} invalid`);
process.exit(bad || !ok ? 1 : 0);
