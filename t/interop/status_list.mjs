// Differential test of our Bitstring Status Lists against Digital Bazaar's
// @digitalbazaar/vc-bitstring-status-list: badgectl allocates indexes,
// revokes and suspends some credentials and publishes the lists; the npm
// library decodes each encodedList, and every one of its bits must be set
// exactly for the credentials of that purpose.
// Usage: node status_list.mjs BADGECTL WORKDIR
// Last line: "status-interop: N passed, M failed".
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {decodeList} from '@digitalbazaar/vc-bitstring-status-list';

const [badgectl, work] = process.argv.slice(2);
let passed = 0, failed = 0;

function check(ok, what) {
  if (ok) {
    passed++;
  } else {
    failed++;
    console.error(`FAIL: ${what}`);
  }
}

function run(args) {
  const r = spawnSync(badgectl, args, {encoding: 'utf8'});
  if (r.status !== 0) {
    throw new Error(`badgectl ${args.join(' ')}: ${r.stderr}`);
  }
  return r.stdout;
}

async function scenario(name, {count, sequential, signed}) {
  const reg = join(work, `${name}.tsv`);
  const issuer = 'did:web:issuer.example';
  for (let i = 0; i < count; i++) {
    const args = ['status', '--registry', reg, 'allocate',
      '--id', `urn:uuid:${name}-${i}`];
    if (sequential) {
      args.push('--sequential');
    }
    run(args);
  }
  for (let i = 0; i < count; i++) {
    if (i % 5 === 0) {
      run(['status', '--registry', reg, 'revoke', '--id',
        `urn:uuid:${name}-${i}`, '--reason', 'test']);
    } else if (i % 7 === 0) {
      run(['status', '--registry', reg, 'suspend', '--id',
        `urn:uuid:${name}-${i}`]);
    }
  }
  const entries = run(['status', '--registry', reg, 'list', '--json'])
    .trim().split('\n').map(l => JSON.parse(l));
  check(entries.length === count, `${name}: ${count} entries listed`);

  for (const purpose of ['revocation', 'suspension']) {
    const out = join(work, `${name}-${purpose}.json`);
    const args = ['status', '--registry', reg, 'publish', '--issuer', issuer,
      '--list-url', `https://issuer.example/status/${name}/${purpose}`,
      '--purpose', purpose, '--out', out];
    if (signed) {
      args.push('--key', signed);
    } else {
      args.push('--unsigned');
    }
    run(args);
    const vc = JSON.parse(readFileSync(out, 'utf8'));
    check(vc.type.includes('BitstringStatusListCredential'),
      `${name}/${purpose}: type`);
    check(vc.credentialSubject.statusPurpose === purpose,
      `${name}/${purpose}: statusPurpose`);
    check(!signed || (vc.proof && vc.proof.cryptosuite === 'eddsa-rdfc-2022'),
      `${name}/${purpose}: proof`);
    let list;
    try {
      list = await decodeList({encodedList: vc.credentialSubject.encodedList});
    } catch (e) {
      check(false, `${name}/${purpose}: decodeList: ${e.message}`);
      continue;
    }
    check(list.length === 131072, `${name}/${purpose}: 131072 entries ` +
      `(got ${list.length})`);
    const want = new Set(entries.filter(e => e.status ===
      (purpose === 'revocation' ? 'revoked' : 'suspended')).map(e => e.index));
    // each credential's own bit
    for (const e of entries) {
      check(list.getStatus(e.index) === want.has(e.index),
        `${name}/${purpose}: index ${e.index} (${e.status})`);
    }
    // and no other bit anywhere in the list
    let stray = 0;
    for (let i = 0; i < list.length; i++) {
      if (list.getStatus(i) && !want.has(i)) {
        stray++;
      }
    }
    check(stray === 0, `${name}/${purpose}: ${stray} stray bits`);
  }
}

let key = null;
const kg = spawnSync(badgectl, ['keygen', '--out', join(work, 'k.pem')],
  {encoding: 'utf8'});
if (kg.status === 0) {
  key = join(work, 'k.pem');
} else {
  console.error('badgectl keygen failed: the lists are published unsigned');
}
try {
  await scenario('random', {count: 120, sequential: false, signed: key});
  await scenario('sequential', {count: 40, sequential: true, signed: null});
} catch (e) {
  check(false, e.message);
}
console.log(`status-interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
