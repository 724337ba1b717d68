// The floor: what a bare node:http server does on this machine, returning fixed JSON, or signing one
// ES256 JWT per request with synchronous node:crypto. node floor-server.mjs <port> <json|sign>
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer } from 'node:http';

const [port, mode] = process.argv.slice(2);
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const header = b64({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' });

function jwt() {
  const now = Math.floor(Date.now() / 1000);
  const payload = b64({ iss: 'http://floor', sub: 'c', aud: 'api', iat: now, exp: now + 600, jti: randomUUID(), client_id: 'c', scope: 'api' });
  const input = `${header}.${payload}`;
  const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return `${input}.${sig}`;
}

createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const body =
      mode === 'sign'
        ? JSON.stringify({ access_token: jwt(), token_type: 'Bearer', expires_in: 600, scope: 'api' })
        : '{"access_token":"fixed","token_type":"Bearer","expires_in":600}';
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(body);
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`ready http://127.0.0.1:${port}\n`));
