// A child process serving member servers' UDAP metadata over HTTPS on 127.0.0.1 for the endpoint
// monitor benchmark, so serving costs land in this process, not in the monitor's. Argument: a JSON file
// {keyPem, certPem, dir}; GET /<name>/r4/.well-known/udap?... answers <dir>/<name>.json (read once).
// Prints "port <n>" when listening; exits when its stdin closes.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { keyPem: string; certPem: string; dir: string };
const cache = new Map<string, Buffer | null>();
const server = createServer({ key: cfg.keyPem, cert: cfg.certPem }, (req, res) => {
  const m = /^\/([a-z0-9-]+)\/r4\/\.well-known\/udap\?community=/.exec(req.url ?? '');
  let body = m ? cache.get(m[1]) : null;
  if (m && body === undefined) {
    try {
      body = readFileSync(join(cfg.dir, `${m[1]}.json`));
    } catch {
      body = null;
    }
    cache.set(m[1], body);
  }
  if (!body) res.writeHead(404).end();
  else res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
