// Launcher for Learning Locker's xAPI statements service (npm xapi-statements@5.0.1) with its
// in-memory statement store ("memory" models repo). xapi-statements is not patched: it is set
// up through its own environment variables and started with require('xapi-statements/dist/server').
//
// Authentication: xapi-statements asks an HTTP endpoint (LL_CLIENT_INFO_ENDPOINT, its "fetch"
// auth repo) which client an Authorization header belongs to; in Learning Locker that endpoint
// is the main app. Here a tiny endpoint in this same process answers it from LRS_AUTH_FILE
// (JSON: [{"user": "...", "password": "..."}]): 200 with the client for a known
// "Basic base64(user:password)", 404 otherwise, which xapi-statements turns into 401.
//
// Env: LRS_PORT (port on 127.0.0.1), LRS_AUTH_FILE, LRS_STORAGE_DIR (attachments, access logs).
// Statements live in this process's memory only: they are gone when it stops.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');

const port = Number(process.env.LRS_PORT);
const authFile = process.env.LRS_AUTH_FILE;
const storageDir = process.env.LRS_STORAGE_DIR;
if (!port || !authFile || !storageDir) {
  console.error('lrs-server: LRS_PORT, LRS_AUTH_FILE and LRS_STORAGE_DIR are required');
  process.exit(2);
}
const users = JSON.parse(fs.readFileSync(authFile, 'utf8'));
const clients = new Map(users.map((u, i) => [
  'Basic ' + Buffer.from(`${u.user}:${u.password}`).toString('base64'),
  {
    _id: `00000000000000000000000${i + 1}`.slice(-24),
    title: u.user,
    authority: { objectType: 'Agent', name: u.user, mbox: u.mbox || `mailto:${u.user}@example.org` },
    isTrusted: true,
    // One store for every user (xapi-statements filters statements by lrs_id + organisation).
    lrs_id: '000000000000000000000001',
    organisation: '000000000000000000000001',
    scopes: u.scopes || ['all'],
  },
]));

const authServer = http.createServer((req, res) => {
  const client = clients.get(String(req.headers.authorization || '').trim());
  res.writeHead(client ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(client || { message: 'no such client' }));
});

authServer.once('error', (err) => {
  console.error('lrs-server: client-info endpoint failed:', err.message);
  process.exit(1);
});
authServer.listen(0, '127.0.0.1', () => {
  const authPort = authServer.address().port;
  // xapi-statements' config.js reads the environment when it is first required.
  Object.assign(process.env, {
    EXPRESS_PORT: String(port),
    LL_CLIENT_INFO_ENDPOINT: `http://127.0.0.1:${authPort}/auth`,
    AUTH_REPO: 'fetch',
    MODELS_REPO: 'memory',
    EVENTS_REPO: 'test', // no Redis: the "new statements" events are not published
    STORAGE_REPO: 'local',
    FS_LOCAL_STORAGE_DIR: path.join(storageDir, 'attachments'),
    EXPRESS_MORGAN_DIRECTORY: path.join(storageDir, 'accessLogs'),
    SERVICE_AWAIT_UPDATES: 'true', // answer a POST only after its side effects are done
    EXPRESS_BODY_PARSER_LIMIT: process.env.EXPRESS_BODY_PARSER_LIMIT || '50mb',
    WINSTON_CONSOLE_LEVEL: process.env.WINSTON_CONSOLE_LEVEL || 'warn',
    AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1', // aws-sdk v2 is loaded, never used
  });
  // xapi-statements calls app.listen(port, cb), which binds every interface; bind its
  // listener to loopback instead and report when it is up (or exit if the port is taken).
  const origListen = http.Server.prototype.listen;
  http.Server.prototype.listen = function (p, cb) {
    if (p === port && typeof cb === 'function') {
      http.Server.prototype.listen = origListen;
      this.once('error', (err) => {
        console.error(`lrs-server: cannot listen on 127.0.0.1:${port}: ${err.message}`);
        process.exit(1);
      });
      return origListen.call(this, port, '127.0.0.1', () => {
        console.log(`lrs-server: listening on http://127.0.0.1:${port}/xAPI/ ` +
          `(client info on 127.0.0.1:${authPort})`);
        cb();
      });
    }
    return origListen.apply(this, arguments);
  };
  require('xapi-statements/dist/server');
});
