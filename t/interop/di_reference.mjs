// Differential test of Data Integrity (eddsa-rdfc-2022) and RDFC-1.0
// canonicalization: badgectl against the Digital Bazaar reference stack
// (jsonld.js + rdf-canonize, @digitalbazaar/vc, data-integrity,
// eddsa-rdfc-2022-cryptosuite, ed25519-multikey).
//
//   node t/interop/di_reference.mjs BADGECTL WORKDIR [COUNT]
//
// (a) COUNT (default 300) generated Open Badges 3.0 credentials (Japanese
//     text, escapes and control characters, nested achievements,
//     alignments, results, blank nodes, typed numbers): `badgectl
//     canonicalize` and jsonld.canonize (RDFC-1.0, safe mode) must agree
//     byte for byte.  The document loader serves libbadge's own bundled
//     contexts (src/contexts/) and nothing else.
// (b) credentials signed by the reference verify in badgectl (and do not
//     once tampered); credentials signed by `badgectl sign --format di`
//     verify in the reference.
// (c) the reference's verifies/s on one credential, for the bench.
// Last line: "di-interop: N passed, M failed".
import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import jsonld from 'jsonld';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

const [badgectl, work, countArg] = process.argv.slice(2);
const COUNT = Number(countArg || 300);
let passed = 0;
let failed = 0;
const failures = [];

function check(ok, what, detail) {
  if (ok) {
    passed++;
  } else {
    failed++;
    if (failures.length < 15) {
      failures.push(what + (detail ? ': ' + String(detail).slice(0, 600)
                                   : ''));
    }
  }
}

// ---- the document loader: bundled contexts and did:key -----------------

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
    id: did, verificationMethod: [vm],
    assertionMethod: [vmId], authentication: [vmId]
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

// ---- generated credentials ---------------------------------------------

let seed = 20240601;
function rnd() {               // xorshift32: reproducible documents
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const maybe = (p = 0.5) => rnd() < p;

const texts = [
  'DX講座修了', 'データサイエンス入門 (初級)', '東京都立大学', 'ｶﾀｶﾅ半角',
  'Team "work" \\ badge', 'line1\nline2\ttabbed\r\n', 'ctrl \u0001\u001f\u007f',
  'emoji 🎓🏅', 'sep\u2028para\u2029', 'combining e\u0301', 'עברית RTL',
  '  leading and trailing  ', '', 'Ελληνικά', '中文 简体', '😀'.repeat(3),
  'back\\slash and \\"quote\\"', 'nul-free \u00a0nbsp', 'Zürich – Größe',
  '<script>alert(1)</script>', 'a'.repeat(300)
];
const iri = () => 'https://issuer.example/' +
  pick(['a', 'b/c', 'd?q=1', 'e#frag', 'f%20g', 'h/ü']) +
  Math.floor(rnd() * 1000);

function alignment() {
  const a = {type: ['Alignment'], targetName: pick(texts),
    targetUrl: iri()};
  if (maybe()) a.targetDescription = pick(texts);
  if (maybe()) a.targetFramework = pick(texts);
  if (maybe()) a.targetCode = 'C-' + Math.floor(rnd() * 100);
  if (maybe()) a.targetType = pick(['ceasn:Competency', 'CFItem', 'ext:x']);
  return a;
}

function resultDescription(i) {
  const r = {id: 'urn:uuid:rd-' + i, type: ['ResultDescription'],
    name: pick(texts), resultType: pick(['GradePointAverage',
      'LetterGrade', 'Percent', 'RubricCriterionLevel'])};
  if (maybe()) r.allowedValue = ['A', 'B', pick(texts)];
  if (maybe()) r.valueMin = '0';
  if (maybe()) r.valueMax = '100';
  if (maybe()) {
    r.rubricCriterionLevel = [{id: 'urn:uuid:rcl-' + i,
      type: ['RubricCriterionLevel'], name: pick(texts),
      level: pick(texts), points: String(Math.floor(rnd() * 10))}];
  }
  if (maybe(0.3)) r.alignment = [alignment()];
  return r;
}

function achievement(depth) {
  const a = {type: ['Achievement'], name: pick(texts),
    description: pick(texts), criteria: {narrative: pick(texts)}};
  if (maybe(0.8)) a.id = iri();        // else a blank node
  if (maybe()) a.achievementType = pick(['Badge', 'Certificate',
    'Course', 'ext:Custom']);
  if (maybe()) a.alignment = Array.from({length: 1 + Math.floor(rnd() * 3)},
    alignment);
  if (maybe(0.3)) a.creditsAvailable = pick([3, 3.5, 0.1, 1e21, 12]);
  if (maybe()) a.tag = [pick(texts), pick(texts)];
  if (maybe(0.3)) a.humanCode = 'H' + Math.floor(rnd() * 99);
  if (maybe(0.3)) a.fieldOfStudy = pick(texts);
  if (maybe(0.3)) a.version = '1.' + Math.floor(rnd() * 9);
  if (maybe(0.3)) a.inLanguage = pick(['ja', 'en', 'ja-JP']);
  if (maybe(0.4)) {
    a.resultDescription = Array.from({length: 1 + Math.floor(rnd() * 2)},
      (_, i) => resultDescription(Math.floor(rnd() * 1e6) + i));
  }
  if (maybe(0.4)) {
    a.creator = {id: iri(), type: ['Profile'], name: pick(texts)};
    if (maybe()) a.creator.email = 'x@example.jp';
  }
  if (maybe(0.3)) {
    a.image = {id: 'https://issuer.example/img/' +
      Math.floor(rnd() * 100) + '.png', type: 'Image', caption: pick(texts)};
  }
  if (depth < 2 && maybe(0.3)) {
    a.related = [{id: iri(), type: ['Related'], version: '2'}];
  }
  return a;
}

function credential(i, issuer) {
  const subj = {type: ['AchievementSubject'], achievement: achievement(0)};
  if (maybe(0.8)) subj.id = 'did:example:learner' + i;
  if (maybe(0.4)) {
    subj.result = Array.from({length: 1 + Math.floor(rnd() * 3)}, () => {
      const r = {type: ['Result'], value: pick(['A', '95', pick(texts)])};
      if (maybe()) r.status = pick(['Completed', 'Enrolled']);
      if (maybe()) r.resultDescription = 'urn:uuid:rd-' + i;
      if (maybe(0.3)) r.alignment = [alignment()];
      return r;                          // blank nodes, maybe alike
    });
  }
  if (maybe(0.3)) subj.creditsEarned = pick([2, 2.5, 0.0001]);
  if (maybe(0.3)) subj.activityStartDate = '2024-04-01';
  if (maybe(0.3)) subj.term = pick(texts);
  if (maybe(0.3)) {
    subj.identifier = [{type: 'IdentityObject', hashed: maybe(),
      identityHash: 'sha256$' + 'ab'.repeat(32), identityType: 'emailAddress',
      salt: pick(texts)}];
  }
  const c = {
    '@context': ['https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:' + i.toString(16).padStart(8, '0') +
      '-aaaa-4bbb-8ccc-0123456789ab',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: {id: issuer, type: ['Profile'], name: pick(texts)},
    validFrom: '2024-0' + (1 + Math.floor(rnd() * 9)) + '-01T00:00:00Z',
    name: pick(texts),
    credentialSubject: maybe(0.9) ? subj : [subj, {type:
      ['AchievementSubject'], achievement: achievement(1)}]
  };
  if (maybe(0.3)) c.description = pick(texts);
  if (maybe(0.2)) {
    c.evidence = [{id: iri(), type: ['Evidence'], name: pick(texts),
      narrative: pick(texts)}];
  }
  if (maybe(0.2)) c.validUntil = '2099-01-01T00:00:00Z';
  return c;
}

function run(args, input) {
  const r = spawnSync(badgectl, args, {input, encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024});
  return r;
}

// ---- (a) canonicalization ----------------------------------------------

async function canonicalization() {
  let same = 0;
  for (let i = 0; i < COUNT; i++) {
    const doc = credential(i, 'https://issuer.example/issuers/' + i);
    const file = path.join(work, 'canon-' + i + '.json');
    fs.writeFileSync(file, JSON.stringify(doc, null, maybe() ? 2 : 0));
    let want;
    try {
      want = await jsonld.canonize(doc, {algorithm: 'RDFC-1.0',
        format: 'application/n-quads', documentLoader, safe: true});
    } catch (e) {
      check(false, 'reference canonize of generated doc ' + i, e.message);
      continue;
    }
    const got = run(['canonicalize', file]);
    const ok = got.status === 0 && got.stdout === want;
    if (ok) {
      same++;
    } else if (got.status === 0 && utf16Only(want, got.stdout)) {
      // RDFC-1.0 sorts in Unicode code point order (= UTF-8 byte order);
      // rdf-canonize sorts JavaScript strings, i.e. by UTF-16 code units,
      // which differs when a line has a character above U+FFFF where
      // another has one in U+E000..U+FFFF (emoji vs. halfwidth kana).
      // Known reference deviation: counted, not failed.
      deviations.push(file);
      passed++;
      continue;
    }
    check(ok, 'canonical N-Quads of generated doc ' + i + ' (' + file + ')',
      got.status !== 0 ? got.stderr : diffLine(want, got.stdout));
  }
  return same;
}

const deviations = [];

// The reference's lines re-sorted in code point order give ours.
function utf16Only(ref, ours) {
  const lines = ref.split('\n').filter((l) => l !== '');
  lines.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return lines.map((l) => l + '\n').join('') === ours;
}

function diffLine(a, b) {
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) {
      return 'line ' + (i + 1) + '\n  reference: ' + x[i] +
        '\n  badgectl:  ' + y[i];
    }
  }
  return 'same lines, different bytes';
}

// ---- (b) signatures both ways -------------------------------------------

async function referenceKey() {
  const key = await Ed25519Multikey.generate();
  const did = 'did:key:' + key.publicKeyMultibase;
  key.controller = did;
  key.id = did + '#' + key.publicKeyMultibase;
  return {key, did};
}

async function referenceSigns(n) {
  const {key, did} = await referenceKey();
  const suite = new DataIntegrityProof({signer: key.signer(),
    cryptosuite: eddsaRdfc2022});
  let last;
  for (let i = 0; i < n; i++) {
    const cred = credential(10000 + i, did);
    let signed;
    try {
      signed = await vc.issue({credential: cred, suite, documentLoader});
    } catch (e) {
      check(false, 'reference issue ' + i, e.message);
      continue;
    }
    last = signed;
    const file = path.join(work, 'ref-signed-' + i + '.json');
    fs.writeFileSync(file, JSON.stringify(signed));
    const r = run(['verify', '--offline', file]);
    check(r.status === 0, 'badgectl verifies reference-signed ' + file,
      r.stdout + r.stderr);
    // tampered: the learner's achievement renamed
    const t = structuredClone(signed);
    const s = Array.isArray(t.credentialSubject) ? t.credentialSubject[0]
      : t.credentialSubject;
    s.achievement.name = s.achievement.name + ' (forged)';
    fs.writeFileSync(file + '.tampered', JSON.stringify(t));
    const r2 = run(['verify', '--offline', file + '.tampered']);
    check(r2.status === 1, 'badgectl rejects tampered ' + file,
      r2.stdout);
  }
  return last;
}

async function badgectlSigns(n) {
  const pem = path.join(work, 'issuer.pem');
  const kg = run(['keygen', '--out', pem]);
  const m = /(did:key:z[1-9A-HJ-NP-Za-km-z]+)/.exec(kg.stdout + kg.stderr);
  if (kg.status !== 0 || !m) {
    check(false, 'badgectl keygen', kg.stdout + kg.stderr);
    return;
  }
  const did = m[1];
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  for (let i = 0; i < n; i++) {
    const file = path.join(work, 'bc-unsigned-' + i + '.json');
    fs.writeFileSync(file, JSON.stringify(credential(20000 + i, did)));
    const r = run(['sign', '--format', 'di', '--key', pem, file]);
    if (r.status !== 0) {
      check(false, 'badgectl sign --format di ' + file, r.stderr);
      continue;
    }
    const signed = JSON.parse(r.stdout);
    let res;
    try {
      res = await vc.verifyCredential({credential: signed, suite,
        documentLoader});
    } catch (e) {
      res = {verified: false, error: e};
    }
    check(res.verified === true, 'reference verifies badgectl-signed ' +
      file, JSON.stringify(res.error || res.results || res, null, 0));
    const t = structuredClone(signed);
    t.name = t.name + '!';
    const res2 = await vc.verifyCredential({credential: t, suite,
      documentLoader}).catch((e) => ({verified: false, error: e}));
    check(res2.verified === false, 'reference rejects tampered ' + file);
  }
}

// ---- (c) the reference's speed ------------------------------------------

async function referenceBench(signed, seconds) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const r = await vc.verifyCredential({credential: signed, suite,
      documentLoader});
    if (!r.verified) {
      check(false, 'reference bench credential verifies');
      return;
    }
    n++;
  }
  const rate = n / ((performance.now() - t0) / 1000);
  console.log('reference (jsonld.js + @digitalbazaar/vc, node ' +
    process.version + '): ' + rate.toFixed(0) + ' verifies/s');
}

const same = await canonicalization();
console.log('canonicalization: ' + same + ' of ' + COUNT +
  ' generated documents identical' + (deviations.length
    ? '; ' + deviations.length + ' differ only by the reference sorting ' +
      'UTF-16 code units instead of code points (RDFC-1.0 4.4: code ' +
      'point order): ' + deviations.join(' ') : ''));
const last = await referenceSigns(25);
await badgectlSigns(25);
if (last) {
  fs.writeFileSync(path.join(work, 'bench-credential.json'),
    JSON.stringify(last));
  await referenceBench(last, Number(process.env.REF_BENCH_SECONDS || 3));
}
for (const f of failures) {
  console.log('FAIL  ' + f);
}
console.log('di-interop: ' + passed + ' passed, ' + failed + ' failed');
process.exit(failed === 0 && passed > 0 ? 0 : 1);
