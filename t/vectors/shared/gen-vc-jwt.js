#!/usr/bin/env node
// Regenerates the VC-JWT test vectors of t/vectors/shared/ (used by the
// Apache suites, and free for the nginx ones).  Node's crypto only, no
// packages:  node t/vectors/shared/gen-vc-jwt.js
//
// Keys are derived from fixed seeds (Ed25519) so that a rerun gives the
// same files; the ES256 signature is randomized by nature.
//
//   vc-jwt-eddsa-didjwk.jwt      valid: EdDSA, kid did:jwk (key in the kid)
//   vc-jwt-eddsa-didweb.jwt      valid, signed with did:web:example.edu's key:
//                                needs BadgeTrustedKey or a pinned did.json
//   vc-jwt-es256-didjwk.jwt      valid: ES256, did:jwk (P-256)
//   vc-jwt-tampered.jwt          payload changed after signing
//   vc-jwt-wrong-key.jwt         signed by another Ed25519 key than the kid's
//   vc-jwt-alg-none.jwt          alg "none", empty signature
//   vc-jwt-hs256.jwt             alg HS256 keyed with the public key (the
//                                classic key-confusion attack)
//   vc-jwt-expired.jwt           valid signature, exp in 2024
//   key-ed25519.pem / .pub.pem   the Ed25519 key (issuer key)
//   key-ed25519-web.pem / .pub.pem  did:web:example.edu's key (#key-1)
//   key-ed25519-other.pem        the wrong key
//   key-p256.pem / .pub.pem      the P-256 key
//   did-web-example.edu.json     DID document of did:web:example.edu
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const dir = __dirname;
const b64u = (buf) => Buffer.from(buf).toString('base64url');
const write = (name, data) => fs.writeFileSync(path.join(dir, name), data);

function ed25519FromSeed(seedHex) {
  const der = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(seedHex, 'hex'),
  ]);
  return crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

const ed = ed25519FromSeed('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
const edOther = ed25519FromSeed('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb');
const edWeb = ed25519FromSeed('c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7');
const edPub = crypto.createPublicKey(ed);
const edWebPub = crypto.createPublicKey(edWeb);
const edWebJwk = edWebPub.export({ format: 'jwk' });
const edJwk = edPub.export({ format: 'jwk' });          // {kty,crv,x}
let p256;
if (fs.existsSync(path.join(dir, 'key-p256.pem'))) {
  p256 = crypto.createPrivateKey(fs.readFileSync(path.join(dir, 'key-p256.pem')));
} else {
  p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}
const p256Pub = crypto.createPublicKey(p256);
const p256Jwk = p256Pub.export({ format: 'jwk' });

write('key-ed25519.pem', ed.export({ format: 'pem', type: 'pkcs8' }));
write('key-ed25519.pub.pem', edPub.export({ format: 'pem', type: 'spki' }));
write('key-ed25519-web.pem', edWeb.export({ format: 'pem', type: 'pkcs8' }));
write('key-ed25519-web.pub.pem', edWebPub.export({ format: 'pem', type: 'spki' }));
write('key-ed25519-other.pem', edOther.export({ format: 'pem', type: 'pkcs8' }));
write('key-p256.pem', p256.export({ format: 'pem', type: 'pkcs8' }));
write('key-p256.pub.pem', p256Pub.export({ format: 'pem', type: 'spki' }));

const didJwk = (jwk) => 'did:jwk:' + b64u(JSON.stringify(jwk));
const edDid = didJwk({ crv: edJwk.crv, kty: edJwk.kty, x: edJwk.x });
const p256Did = didJwk({ crv: p256Jwk.crv, kty: p256Jwk.kty, x: p256Jwk.x, y: p256Jwk.y });

const NBF = 1704067200;        // 2024-01-01T00:00:00Z
const EXP = 4102444800;        // 2100-01-01T00:00:00Z

function credential(issuer, opts = {}) {
  const vc = {
    '@context': [
      'https://www.w3.org/2018/credentials/v1',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: opts.id || 'urn:uuid:3b6d3c57-2f7e-4b4b-9d0c-6d2b1a7c0001',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: issuer, type: ['Profile'], name: 'Example University' },
    issuanceDate: '2024-01-01T00:00:00Z',
    name: 'DX講座修了',
    credentialSubject: {
      id: 'did:example:alice',
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/dx-101',
        type: ['Achievement'],
        name: 'DX講座修了',
        description: 'Completed the DX course.',
        criteria: { narrative: 'Pass the final exam.' },
      },
    },
  };
  if (opts.exp !== undefined) {
    vc.expirationDate = new Date(opts.exp * 1000).toISOString().replace('.000Z', 'Z');
  }
  return {
    iss: issuer,
    sub: 'did:example:alice',
    jti: vc.id,
    nbf: NBF,
    iat: NBF,
    exp: opts.exp !== undefined ? opts.exp : EXP,
    vc,
  };
}

function sign(header, payload, key, alg) {
  const input = b64u(JSON.stringify(header)) + '.' + b64u(JSON.stringify(payload));
  let sig;
  if (alg === 'EdDSA') {
    sig = crypto.sign(null, Buffer.from(input), key);
  } else if (alg === 'ES256') {
    sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  } else if (alg === 'HS256') {
    sig = crypto.createHmac('sha256', key).update(input).digest();
  } else {
    sig = Buffer.alloc(0);
  }
  return input + '.' + b64u(sig);
}

const edHeader = { alg: 'EdDSA', typ: 'JWT', kid: edDid + '#0' };
write('vc-jwt-eddsa-didjwk.jwt', sign(edHeader, credential(edDid), ed, 'EdDSA') + '\n');

const webDid = 'did:web:example.edu';
write('vc-jwt-eddsa-didweb.jwt',
  sign({ alg: 'EdDSA', typ: 'JWT', kid: webDid + '#key-1' }, credential(webDid), edWeb, 'EdDSA') + '\n');
write('did-web-example.edu.json', JSON.stringify({
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: webDid,
  verificationMethod: [{
    id: webDid + '#key-1',
    type: 'JsonWebKey2020',
    controller: webDid,
    publicKeyJwk: { kty: edWebJwk.kty, crv: edWebJwk.crv, x: edWebJwk.x },
  }],
  assertionMethod: [webDid + '#key-1'],
}, null, 2) + '\n');

write('vc-jwt-es256-didjwk.jwt',
  sign({ alg: 'ES256', typ: 'JWT', kid: p256Did + '#0' }, credential(p256Did), p256, 'ES256') + '\n');

// tampered: the signature of the original over a changed payload
{
  const good = sign(edHeader, credential(edDid), ed, 'EdDSA').split('.');
  const changed = credential(edDid);
  changed.vc.credentialSubject.achievement.name = 'Doctor of Everything';
  write('vc-jwt-tampered.jwt', [good[0], b64u(JSON.stringify(changed)), good[2]].join('.') + '\n');
}
write('vc-jwt-wrong-key.jwt', sign(edHeader, credential(edDid), edOther, 'EdDSA') + '\n');
write('vc-jwt-alg-none.jwt',
  sign({ alg: 'none', typ: 'JWT', kid: edDid + '#0' }, credential(edDid), null, 'none') + '\n');
write('vc-jwt-hs256.jwt',
  sign({ alg: 'HS256', typ: 'JWT', kid: edDid + '#0' }, credential(edDid),
       edPub.export({ format: 'pem', type: 'spki' }), 'HS256') + '\n');
write('vc-jwt-expired.jwt',
  sign(edHeader, credential(edDid, { exp: 1704153600 }), ed, 'EdDSA') + '\n');

// for tests that need the ids
write('ids.json', JSON.stringify({
  ed25519_did_jwk: edDid,
  p256_did_jwk: p256Did,
  did_web: webDid,
  achievement: 'https://example.edu/achievements/dx-101',
}, null, 2) + '\n');
