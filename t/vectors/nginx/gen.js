// Generates the nginx suites' fixtures (test keys only; never trust them).
// Usage: node t/vectors/nginx/gen.js   (rewrites t/vectors/nginx/*)
// ECDSA signatures are randomized, so regenerating changes the files but
// not what the tests expect of them.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const dir = __dirname;

const b64u = (b) => Buffer.from(b).toString('base64url');
const enc = (o) => b64u(JSON.stringify(o));
const write = (name, data) => fs.writeFileSync(path.join(dir, name), data);

function keyFrom(name, gen) {
  const f = path.join(dir, name);
  if (fs.existsSync(f)) return crypto.createPrivateKey(fs.readFileSync(f));
  const k = gen();
  fs.writeFileSync(f, k.export({ type: 'pkcs8', format: 'pem' }));
  return k;
}
const ec = () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rsa = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function pubJwk(k) {
  const j = crypto.createPublicKey(k).export({ format: 'jwk' });
  return j;
}
function sign(header, payload, key) {
  const input = enc(header) + '.' + enc(payload);
  let sig;
  if (header.alg === 'ES256') {
    sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  } else if (header.alg === 'RS256') {
    sig = crypto.sign('sha256', Buffer.from(input), key);
  }
  return input + '.' + b64u(sig);
}

const NBF = 1704067200;            // 2024-01-01T00:00:00Z
const EXP_FAR = 4102444800;        // 2100-01-01T00:00:00Z

// 1. a self-contained did:jwk credential (VC 1.1 "vc" claim form)
const k1 = keyFrom('didjwk.key.pem', ec);
const did1 = 'did:jwk:' + enc(pubJwk(k1));
const vc11 = (iss, achievement) => ({
  iss, nbf: NBF, jti: 'urn:uuid:4f7c2a52-6d1e-4c8e-9a55-0a1b2c3d4e5f',
  sub: 'did:example:holder',
  vc: {
    '@context': ['https://www.w3.org/2018/credentials/v1',
                 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: 'urn:uuid:4f7c2a52-6d1e-4c8e-9a55-0a1b2c3d4e5f',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: iss, type: ['Profile'], name: 'Test University' },
    issuanceDate: '2024-01-01T00:00:00Z',
    name: 'DX course',
    credentialSubject: {
      id: 'did:example:holder', type: ['AchievementSubject'],
      achievement: {
        id: achievement, type: ['Achievement'], name: 'DX講座修了',
        description: 'Completed the DX course.',
        criteria: { narrative: 'Attend all sessions.' },
      },
    },
  },
});
const jwt1 = sign({ alg: 'ES256', typ: 'JWT', kid: did1 + '#0' },
                  vc11(did1, 'https://example.ac.jp/achievements/dx'), k1);
write('didjwk.jwt', jwt1 + '\n');
write('didjwk.did', did1 + '\n');
write('didjwk.pub.pem', crypto.createPublicKey(k1).export({ type: 'spki', format: 'pem' }));

// tampered: the payload changes, the signature stays
const [h1, p1, s1] = jwt1.split('.');
const p1t = enc(vc11(did1, 'https://example.ac.jp/achievements/phd'));
write('didjwk-tampered.jwt', [h1, p1t, s1].join('.') + '\n');

// alg none, HS256 (with the public JWK as the "secret"), RSA key as ES256
write('alg-none.jwt', enc({ alg: 'none', typ: 'JWT' }) + '.' + p1 + '.\n');
const hsInput = enc({ alg: 'HS256', typ: 'JWT', kid: did1 + '#0' }) + '.' + p1;
write('hs256.jwt', hsInput + '.' + b64u(crypto.createHmac('sha256',
      JSON.stringify(pubJwk(k1))).update(hsInput).digest()) + '\n');
const kr = keyFrom('rsa.key.pem', rsa);
const didr = 'did:jwk:' + enc(pubJwk(kr));
const rsInput = enc({ alg: 'ES256', typ: 'JWT', kid: didr + '#0' }) + '.'
                + enc(vc11(didr, 'https://example.ac.jp/achievements/dx'));
write('rsa-as-es256.jwt', rsInput + '.' + b64u(crypto.sign('sha256',
      Buffer.from(rsInput), kr)) + '\n');

// expired
const expired = vc11(did1, 'https://example.ac.jp/achievements/dx');
expired.exp = NBF + 86400;
expired.vc.expirationDate = '2024-01-02T00:00:00Z';
write('didjwk-expired.jwt', sign({ alg: 'ES256', typ: 'JWT', kid: did1 + '#0' },
      expired, k1) + '\n');

// 2. did:web:issuer.example: DID document, status list, credentials
const kw = keyFrom('didweb.key.pem', ec);
const didw = 'did:web:issuer.example';
const vm = didw + '#key-1';
write('did.json', JSON.stringify({
  '@context': ['https://www.w3.org/ns/did/v1'],
  id: didw,
  verificationMethod: [{ id: vm, type: 'JsonWebKey2020', controller: didw,
                         publicKeyJwk: pubJwk(kw) }],
  assertionMethod: [vm],
  authentication: [vm],
}, null, 2) + '\n');

const bits = Buffer.alloc(131072 / 8);
bits[0] = 0x10;                    // index 3 is revoked (most significant bit first)
const statusUrl = 'https://issuer.example/status/1';
const listPayload = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: statusUrl,
  type: ['VerifiableCredential', 'BitstringStatusListCredential'],
  issuer: didw,
  validFrom: '2024-01-01T00:00:00Z',
  credentialSubject: {
    id: statusUrl + '#list', type: 'BitstringStatusList',
    statusPurpose: 'revocation',
    encodedList: 'u' + b64u(zlib.gzipSync(bits)),
  },
};
write('status-1.jwt', sign({ alg: 'ES256', typ: 'vc+jwt', kid: vm },
      listPayload, kw) + '\n');

const vc2 = (index) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2',
               'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
  id: 'urn:uuid:0d5e7a30-3c1b-4b53-8f0c-7d7c1e6f2a1' + index,
  type: ['VerifiableCredential', 'OpenBadgeCredential'],
  issuer: { id: didw, type: ['Profile'], name: 'Issuer Example University' },
  validFrom: '2024-01-01T00:00:00Z',
  name: 'DX course',
  credentialSubject: {
    id: 'did:example:holder', type: ['AchievementSubject'],
    achievement: {
      id: 'https://issuer.example/achievements/dx', type: ['Achievement'],
      name: 'DX講座修了', description: 'Completed the DX course.',
      criteria: { narrative: 'Attend all sessions.' },
    },
  },
  credentialStatus: {
    id: statusUrl + '#' + index, type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation', statusListIndex: String(index),
    statusListCredential: statusUrl,
  },
});
write('didweb.jwt', sign({ alg: 'ES256', typ: 'vc+jwt', kid: vm }, vc2(5), kw) + '\n');
write('didweb-revoked.jwt', sign({ alg: 'ES256', typ: 'vc+jwt', kid: vm }, vc2(3), kw) + '\n');
write('didweb.pub.pem', crypto.createPublicKey(kw).export({ type: 'spki', format: 'pem' }));
