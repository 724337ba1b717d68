// The floor: what a bare node:http server does on this machine, returning fixed JSON, or signing one
// ES256 JWT per request with synchronous node:crypto, or (verify) checking one ES256 bearer JWT per
// GET with synchronous node:crypto (POST hands out such a token). node floor-server.mjs <port> <json|sign|verify>
import { generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';

const [port, mode] = process.argv.slice(2);
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const header = b64({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' });

function jwt() {
  const now = Math.floor(Date.now() / 1000);
  const payload = b64({
    iss: 'http://floor',
    sub: 'c',
    aud: 'api',
    iat: now,
    exp: now + 600,
    jti: randomUUID(),
    client_id: 'c',
    scope: 'api',
  });
  const input = `${header}.${payload}`;
  const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
  return `${input}.${sig}`;
}

/** Signature, typ and expiry of a bearer JWT, checked with synchronous node:crypto. */
function verified(authorization) {
  const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '')?.[1];
  if (!token) {
    return undefined;
  }
  const [h, p, sig] = token.split('.');
  const ok = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(sig, 'base64url'),
  );
  const header = JSON.parse(Buffer.from(h, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  return ok && header.typ === 'at+jwt' && claims.exp > Date.now() / 1000 ? claims : undefined;
}

createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (mode === 'verify' && req.method === 'GET') {
      const claims = verified(req.headers.authorization);
      res.writeHead(claims ? 200 : 401, { 'content-type': 'application/json' });
      res.end(claims ? JSON.stringify({ notes: [], sub: claims.sub }) : '{"error":"invalid_token"}');
      return;
    }
    const body =
      mode !== 'json'
        ? JSON.stringify({ access_token: jwt(), token_type: 'Bearer', expires_in: 600, scope: 'api' })
        : '{"access_token":"fixed","token_type":"Bearer","expires_in":600}';
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`ready http://127.0.0.1:${port}\n`));
