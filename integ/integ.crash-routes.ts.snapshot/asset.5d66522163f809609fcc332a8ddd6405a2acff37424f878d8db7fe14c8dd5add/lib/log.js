'use strict';
// One JSON line per event on stdout (App Runner ships stdout to CloudWatch Logs).
//
// Writes to a pipe are synchronous on Linux, so a write per request would cost a system
// call each: lines are gathered and written once per event-loop turn, and flushed
// synchronously when the process exits.
const fs = require('node:fs');

let pending = [];
let scheduled = false;

function flush() {
  scheduled = false;
  if (pending.length === 0) return;
  const chunk = pending.join('');
  pending = [];
  try {
    fs.writeSync(1, chunk);
  } catch {
    // stdout closed: nothing useful to do with a log line
  }
}

function push(line) {
  pending.push(line);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
}

function log(event, fields = {}) {
  push(`${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, event, ...fields })}\n`);
}

// The access log line is the hot path: the same JSON as log() would write, built by hand,
// with the timestamp formatted once per millisecond.
const PID = process.pid;
let lastMs = 0;
let lastHead = '';

/** `{"ts":"…","pid":…` of the current millisecond. */
function head() {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastHead = `{"ts":"${new Date(now).toISOString()}","pid":${PID}`;
  }
  return lastHead;
}

/**
 * The middle of a request line (after the timestamp and pid, before the duration): escaped once
 * for routes whose method, path and status are known in advance (logRequestWith).
 */
function requestLineMiddle(method, path, status) {
  return `,"event":"request","method":${JSON.stringify(method)},"path":${JSON.stringify(path)},"status":${status},"ms":`;
}

function logRequestWith(middle, ms) {
  push(head() + middle + ms + '}\n');
}

function logRequest(method, path, status, ms) {
  logRequestWith(requestLineMiddle(method, path, status), ms);
}

process.on('exit', flush);

module.exports = { log, logRequest, logRequestWith, requestLineMiddle, flush };
