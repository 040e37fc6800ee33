// Differential test: VC-JWTs made by the `jose` npm package, verified by
// badgectl; and VC-JWTs made by badgectl, verified by jose.
//
// Usage: node t/interop/jose_vcjwt.mjs BADGECTL WORKDIR
// Prints one line per case and finally "jose-interop: N passed, M failed".
import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as jose from 'jose';

const [badgectl, work] = process.argv.slice(2);
let passed = 0, failed = 0;

function ok(name) { passed++; console.log(`ok      ${name}`); }
function bad(name, why) { failed++; console.log(`FAILED  ${name}: ${why}`); }

const NOW = Math.floor(Date.now() / 1000);
const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const b64u = (b) => Buffer.from(b).toString('base64url');

// base58btc and did:key, written here independently of badgectl
const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58(bytes) {
  let n = BigInt('0x' + (Buffer.from(bytes).toString('hex') || '0'));
  let s = '';
  while (n > 0n) { s = B58[Number(n % 58n)] + s; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; s = '1' + s; }
  return s;
}
function didKey(jwk) {
  let prefix, key;
  if (jwk.kty === 'OKP') {
    prefix = [0xed, 0x01];
    key = Buffer.from(jwk.x, 'base64url');
  } else {
    const y = Buffer.from(jwk.y, 'base64url');
    prefix = [0x80, 0x24];
    key = Buffer.concat([Buffer.from([2 + (y[y.length - 1] & 1)]),
                         Buffer.from(jwk.x, 'base64url')]);
  }
  return 'did:key:z' + base58(Buffer.concat([Buffer.from(prefix), key]));
}
const didJwk = (jwk) => 'did:jwk:' + b64u(JSON.stringify(jwk));

function credential(issuer, opts = {}) {
  const c = {
    '@context': ['https://www.w3.org/ns/credentials/v2',
                 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:' + crypto.randomUUID(),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer, type: ['Profile'], name: 'Interop University' },
    name: 'Interop badge',
    validFrom: iso(opts.from ?? NOW - 86400),
    credentialSubject: {
      id: 'did:example:holder',
      type: ['AchievementSubject'],
      achievement: { id: 'https://example.edu/achievements/1',
                     type: ['Achievement'], name: 'Interop',
                     criteria: { narrative: 'test' } },
    },
  };
  if (opts.until !== undefined) c.validUntil = iso(opts.until);
  return c;
}

// VC 2.0 payload form with agreeing claims
function claims20(cred) {
  const p = { ...cred, iss: cred.issuer.id, jti: cred.id,
              sub: cred.credentialSubject.id,
              nbf: Math.floor(Date.parse(cred.validFrom) / 1000) };
  if (cred.validUntil) p.exp = Math.floor(Date.parse(cred.validUntil) / 1000);
  return p;
}

async function sign(payload, key, header) {
  return new jose.CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header).sign(key);
}

function verify(name, token, args = []) {
  const f = path.join(work, name.replace(/[^A-Za-z0-9_-]/g, '_') + '.jwt');
  fs.writeFileSync(f, token + '\n');
  const r = spawnSync(badgectl, ['verify', '--json', '--offline', ...args, f],
                      { encoding: 'utf8' });
  let report = null;
  try { report = JSON.parse(r.stdout); } catch { /* checked by callers */ }
  return { code: r.status, report, stderr: r.stderr };
}

// expect: exit code and, optionally, a check {check, status, code}
function expect(name, token, code, check, args) {
  const r = verify(name, token, args);
  if (r.code !== code) {
    return bad(name, `exit ${r.code}, want ${code}` +
               (r.report ? ` (${JSON.stringify(r.report.checks.map(
                 (c) => `${c.check}:${c.status}:${c.code}`))})` : ` ${r.stderr}`));
  }
  if (check) {
    const list = (r.report && r.report.checks) || [];
    const found = list.find((c) => c.check === check[0] && c.status === check[1]
                                   && c.code === check[2]);
    if (!found) {
      return bad(name, `no ${check.join('/')} in ${JSON.stringify(list.map(
        (c) => `${c.check}:${c.status}:${c.code}`))}`);
    }
  }
  ok(name);
}

async function joseMade() {
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    const gen = alg === 'EdDSA' ? { extractable: true, crv: 'Ed25519' }
              : alg === 'RS256' ? { extractable: true, modulusLength: 2048 }
              : { extractable: true };
    const { publicKey, privateKey } = await jose.generateKeyPair(alg, gen);
    const other = (await jose.generateKeyPair(alg, gen)).privateKey;
    const jwk = await jose.exportJWK(publicKey);
    const did = didJwk(jwk);
    const kid = did + '#0';
    const cred = credential(did);
    const valid = await sign(claims20(cred), privateKey,
                             { alg, typ: 'vc+jwt', kid });
    expect(`${alg} did:jwk valid (VC 2.0)`, valid, 0,
           ['signature', 'pass', 'signature_valid']);

    // VC 1.1: "vc" claim
    const vc11 = await new jose.SignJWT({ vc: { ...cred,
        '@context': ['https://www.w3.org/2018/credentials/v1',
                     'https://purl.imsglobal.org/spec/ob/v3p0/context.json'],
        issuanceDate: cred.validFrom, validFrom: undefined } })
      .setProtectedHeader({ alg, typ: 'JWT', kid })
      .setIssuer(did).setJti(cred.id).setSubject('did:example:holder')
      .setNotBefore(Math.floor(Date.parse(cred.validFrom) / 1000))
      .setIssuedAt().sign(privateKey);
    expect(`${alg} did:jwk valid (VC 1.1 vc claim)`, vc11, 0,
           ['claims', 'pass', 'claims_match']);

    // tampered payload, original signature
    const [h, , s] = valid.split('.');
    const forged = claims20({ ...cred, name: 'Forged badge',
      credentialSubject: { ...cred.credentialSubject,
        achievement: { ...cred.credentialSubject.achievement, name: 'PhD' } } });
    expect(`${alg} tampered payload`,
           `${h}.${b64u(JSON.stringify(forged))}.${s}`, 1,
           ['signature', 'fail', 'signature_invalid']);

    // signed by another key under this kid
    expect(`${alg} wrong key for kid`,
           await sign(claims20(cred), other, { alg, typ: 'vc+jwt', kid }), 1,
           ['signature', 'fail', 'signature_invalid']);

    // alg none (jose's unsecured JWT)
    const none = new jose.UnsecuredJWT(claims20(cred)).encode();
    expect(`${alg} alg none`, none, 1, ['signature', 'fail', 'alg_none']);

    // expired
    const old = credential(did, { from: NOW - 10 * 86400, until: NOW - 86400 });
    expect(`${alg} expired`,
           await sign(claims20(old), privateKey, { alg, typ: 'vc+jwt', kid }),
           1, ['validity', 'fail', 'expired']);

    // not yet valid
    const future = credential(did, { from: NOW + 10 * 86400 });
    expect(`${alg} not yet valid`,
           await sign(claims20(future), privateKey, { alg, typ: 'vc+jwt', kid }),
           1, ['validity', 'fail', 'not_yet_valid']);

    // iss disagrees with the issuer
    expect(`${alg} iss mismatch`,
           await sign({ ...claims20(cred), iss: 'did:example:mallory' },
                      privateKey, { alg, typ: 'vc+jwt', kid }),
           1, ['claims', 'fail', 'claim_iss_mismatch']);

    // key in the jwk header, issuer an https URL: signature good, key warn
    const web = credential('https://example.edu/issuers/565049');
    expect(`${alg} jwk header`,
           await sign(claims20(web), privateKey, { alg, jwk }), 0,
           ['key', 'warn', 'key_embedded']);
    // ... and the same key configured as trusted for that issuer
    const pemFile = path.join(work, `${alg}.pub.pem`);
    fs.writeFileSync(pemFile, await jose.exportSPKI(publicKey));
    expect(`${alg} trusted key (--key ISSUER=FILE)`,
           await sign(claims20(web), privateKey, { alg }), 0,
           ['issuer', 'pass', 'issuer_trusted'],
           ['--key', `https://example.edu/issuers/565049=${pemFile}`]);

    // did:key (Ed25519, P-256)
    if (alg !== 'RS256') {
      const dk = didKey(jwk);
      const kcred = credential(dk);
      expect(`${alg} did:key valid`,
             await sign(claims20(kcred), privateKey,
                        { alg, typ: 'vc+jwt', kid: `${dk}#${dk.slice(8)}` }),
             0, ['key', 'pass', 'key_issuer']);
    }

    // alg confusion: HS256 keyed with the public key's PEM / ES256 for RSA
    if (alg === 'RS256') {
      const secret = new TextEncoder().encode(await jose.exportSPKI(publicKey));
      const hs = await new jose.CompactSign(new TextEncoder().encode(
          JSON.stringify(claims20(cred))))
        .setProtectedHeader({ alg: 'HS256', kid }).sign(secret);
      expect('RS256 key, HS256 token', hs, 1,
             ['signature', 'fail', 'alg_forbidden']);
      const ec = (await jose.generateKeyPair('ES256')).privateKey;
      expect('RS256 key, ES256 token',
             await sign(claims20(cred), ec, { alg: 'ES256', kid }), 1,
             ['signature', 'fail', 'alg_key_mismatch']);
    }

    // not canonical base64url: input error
    expect(`${alg} padded base64url`, valid.replace('.', '=.'), 2);
  }
}

function run(args) {
  return spawnSync(badgectl, args, { encoding: 'utf8' });
}

async function badgectlMade() {
  for (const [type, alg] of [['ed25519', 'EdDSA'], ['p256', 'ES256'],
                             ['rsa2048', 'RS256']]) {
    const keyFile = path.join(work, `${type}.key.pem`);
    const kg = run(['keygen', '--type', type, '--out', keyFile]);
    if (kg.status !== 0) { bad(`keygen ${type}`, kg.stderr); continue; }
    const mode = fs.statSync(keyFile).mode & 0o777;
    if (mode !== 0o600) bad(`keygen ${type} mode`, mode.toString(8));
    else ok(`keygen ${type} mode 0600`);
    if (run(['keygen', '--type', type, '--out', keyFile]).status === 0) {
      bad(`keygen ${type} overwrite`, 'overwrote an existing key');
    } else {
      ok(`keygen ${type} refuses to overwrite`);
    }
    const line = kg.stdout.split('\n').find((l) =>
      l.startsWith(type === 'rsa2048' ? 'did:jwk' : 'did:key'));
    const did = line.split(/\s+/)[1];
    const pub = createPublicKey(fs.readFileSync(keyFile));
    // the DID badgectl printed must be the key jose sees
    const jwk = pub.export({ format: 'jwk' });
    const expectDid = type === 'rsa2048' ? null : didKey(jwk);
    if (expectDid && expectDid !== did) {
      bad(`keygen ${type} did:key`, `${did} != ${expectDid}`);
    } else if (expectDid) {
      ok(`keygen ${type} did:key matches jose's key`);
    }
    const cred = credential(did, { until: NOW + 365 * 86400 });
    const credFile = path.join(work, `${type}.cred.json`);
    fs.writeFileSync(credFile, JSON.stringify(cred, null, 2));
    for (const form of ['vc20', 'vc11']) {
      const name = `badgectl sign ${type} ${form} -> jose`;
      const sg = run(['sign', '--key', keyFile, '--format', 'jwt',
                      ...(form === 'vc11' ? ['--vc11'] : []), credFile]);
      if (sg.status !== 0) { bad(name, sg.stderr); continue; }
      const token = sg.stdout.trim();
      try {
        const { payload, protectedHeader } = await jose.jwtVerify(token, pub,
          { algorithms: [alg], issuer: did, subject: 'did:example:holder' });
        const vc = form === 'vc11' ? payload.vc : payload;
        if (protectedHeader.alg !== alg) throw new Error(`alg ${protectedHeader.alg}`);
        if (!protectedHeader.kid || !protectedHeader.kid.startsWith(did + '#')) {
          throw new Error(`kid ${protectedHeader.kid}`);
        }
        if (payload.jti !== cred.id) throw new Error('jti');
        if (payload.nbf !== Math.floor(Date.parse(cred.validFrom) / 1000)) {
          throw new Error('nbf');
        }
        if (payload.exp !== Math.floor(Date.parse(cred.validUntil) / 1000)) {
          throw new Error('exp');
        }
        if (JSON.stringify(vc.credentialSubject) !==
            JSON.stringify(cred.credentialSubject)) {
          throw new Error('credentialSubject differs');
        }
        ok(name);
      } catch (e) {
        bad(name, e.message);
      }
      // and badgectl accepts its own token
      expect(`badgectl sign ${type} ${form} -> badgectl`, token, 0,
             ['key', 'pass', 'key_issuer']);
    }
    // --alg that does not fit the key is refused
    const wrong = run(['sign', '--key', keyFile, '--format', 'jwt', '--alg',
                       alg === 'ES256' ? 'EdDSA' : 'ES256', credFile]);
    if (wrong.status === 0) bad(`sign ${type} wrong --alg`, 'accepted');
    else ok(`sign ${type} wrong --alg refused`);
  }
}

try {
  await joseMade();
  await badgectlMade();
} catch (e) {
  bad('driver', e.stack);
}
console.log(`jose-interop: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
