// The Node reference's speed for tools/bench.sh: verifies one Data
// Integrity (eddsa-rdfc-2022) credential again and again with
// @digitalbazaar/vc + data-integrity + eddsa-rdfc-2022-cryptosuite, with
// the same offline document loader as di_reference.mjs (libbadge's
// bundled contexts and did:key), and prints "N verifies/s".
//
//   node t/interop/bench_verify.mjs CREDENTIAL.json [SECONDS]
//
// Run from the repository root.  Exit 1 if the credential does not verify.
import fs from 'node:fs';
import path from 'node:path';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const [file, secondsArg] = process.argv.slice(2);
const seconds = Number(secondsArg || 3);
const ctxDir = path.join('src', 'contexts');
const index = JSON.parse(fs.readFileSync(path.join(ctxDir, 'index.json')));
const contexts = new Map();
for (const [url, e] of Object.entries(index)) {
  contexts.set(url, JSON.parse(fs.readFileSync(path.join(ctxDir, e.file))));
}

async function didKeyDocument(url) {
  const did = url.split('#')[0];
  const fp = did.slice('did:key:'.length);
  const vmId = did + '#' + fp;
  const key = await Ed25519Multikey.from({
    '@context': 'https://w3id.org/security/multikey/v1',
    id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: fp
  });
  const vm = await key.export({publicKey: true, includeContext: false});
  if (url.includes('#')) {
    return {'@context': 'https://w3id.org/security/multikey/v1', ...vm};
  }
  return {
    '@context': ['https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1'],
    id: did, verificationMethod: [vm], assertionMethod: [vmId]
  };
}

async function documentLoader(url) {
  if (contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if (url.startsWith('did:key:')) {
    return {contextUrl: null, documentUrl: url,
      document: await didKeyDocument(url)};
  }
  throw new Error('document not available offline: ' + url);
}

const credential = JSON.parse(fs.readFileSync(file));
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
const first = await vc.verifyCredential({credential, suite, documentLoader});
if (!first.verified) {
  console.error('the reference does not verify ' + file + ': ' +
    JSON.stringify(first.error || first.results).slice(0, 600));
  process.exit(1);
}
const t0 = performance.now();
let n = 0;
while (performance.now() - t0 < seconds * 1000) {
  const r = await vc.verifyCredential({credential, suite, documentLoader});
  if (!r.verified) {
    console.error('verification failed on run ' + n);
    process.exit(1);
  }
  n++;
}
const rate = n / ((performance.now() - t0) / 1000);
console.log('node ' + process.version + ' @digitalbazaar/vc: ' +
  rate.toFixed(0) + ' verifies/s');
