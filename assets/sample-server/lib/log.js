'use strict';
// One JSON line per event on stdout (App Runner ships stdout to CloudWatch Logs).

function log(event, fields = {}) {
  process.stdout.write(`${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, event, ...fields })}\n`);
}

module.exports = { log };
