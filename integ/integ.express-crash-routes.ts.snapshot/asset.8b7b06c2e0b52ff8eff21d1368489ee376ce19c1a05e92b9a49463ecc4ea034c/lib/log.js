'use strict';
// One JSON line per event on stdout (App Runner ships stdout to CloudWatch Logs).
//
// The rules, and why they are not a logging library's: several processes (the supervisor and
// its workers) write to one stdout, often a pipe shared with stderr that another process has
// made non-blocking. So:
// - Lines are written in chunks of whole lines of at most PIPE_BUF (4,096) bytes: the kernel
//   writes such a chunk to a pipe all at once or not at all, so no process's line is ever cut
//   by another's. A short write (a file, a terminal) is continued from where it stopped; EAGAIN
//   is retried after a pause. (sonic-boom, pino's writer, handles the last two but writes up to
//   16 KB at a time, which lets lines of two processes interleave on a shared pipe.)
// - Writes to a pipe go through the thread pool (fs.write), one at a time: a reader that stops
//   reading stalls that write, never the event loop, so the service keeps answering. A regular
//   file or /dev/null never waits for a reader: written synchronously, once per event-loop turn.
// - What waits to be written is bounded (LOG_BUFFER_BYTES, 4 MB): beyond it lines are dropped,
//   counted, and reported in a `log-dropped` line once there is room again.
// - A line never exceeds the chunk size: long fields are shortened first.
const fs = require('node:fs');

const PIPE_BUF = 4096;
const EAGAIN_RETRY_MS = 5;
const EXIT_FLUSH_MS = 500; // the most an exiting process waits for a full non-blocking pipe
const STALLED_MS = 100; // a write that takes longer has a reader that stopped reading
const FD = 1;
/** stdout is a regular file or /dev/null: writes never wait for a reader. */
const SYNC_OUTPUT = (() => {
  try {
    const stat = fs.fstatSync(FD);
    return stat.isFile() || (stat.isCharacterDevice() && fs.realpathSync(`/proc/self/fd/${FD}`) === '/dev/null');
  } catch {
    return false;
  }
})();

const limitBytes = positiveInt(process.env.LOG_BUFFER_BYTES, 4 * 1024 * 1024);
const queue = []; // lines waiting, oldest first
const sizes = []; // their lengths in bytes
let queuedBytes = 0;
let dropped = 0;
let writing = false;
let waiting; // a chunk that met a full pipe (EAGAIN) and waits to be tried again
let inFlightSince = 0; // when the write in progress started; 0 when none is
let broken = false; // stdout closed for good (EPIPE, EBADF): nothing more can be written

/** Queues one line (with its newline); false when it was dropped. */
function push(line) {
  if (broken) return false;
  const bytes = Buffer.byteLength(line);
  if (queuedBytes + bytes > limitBytes) {
    dropped++;
    return false;
  }
  queue.push(line);
  sizes.push(bytes);
  queuedBytes += bytes;
  if (!writing) {
    writing = true;
    setImmediate(writeNext); // gather what this event-loop turn logs into one write
  }
  return true;
}

/** Takes whole lines from the queue, at most PIPE_BUF bytes (a line is never longer). */
function takeChunk() {
  let text = '';
  let bytes = 0;
  while (queue.length > 0) {
    const size = sizes[0];
    if (bytes > 0 && bytes + size > PIPE_BUF) break;
    text += queue.shift();
    sizes.shift();
    bytes += size;
  }
  queuedBytes -= bytes;
  return Buffer.from(text);
}

function writeNext() {
  if (queue.length === 0 || broken) {
    writing = false;
    return;
  }
  if (SYNC_OUTPUT) {
    writeAllSync();
    writing = false;
    return;
  }
  writeChunk(takeChunk(), 0);
}

/**
 * stdout is a file or /dev/null: a write there never waits for a reader, so the queue is written
 * at once, without the thread pool's round trip.
 */
function writeAllSync() {
  while (queue.length > 0 && !broken) {
    const chunk = takeChunk();
    let offset = 0;
    try {
      while (offset < chunk.length) offset += fs.writeSync(FD, chunk, offset);
    } catch {
      broken = true;
      dropped += countLines(chunk, offset) + queue.length;
      queue.length = 0;
      sizes.length = 0;
      queuedBytes = 0;
    }
  }
}

function writeChunk(chunk, offset) {
  inFlightSince = Date.now();
  fs.write(FD, chunk, offset, chunk.length - offset, null, (err, written) => {
    inFlightSince = 0;
    if (err) {
      if (err.code === 'EAGAIN') {
        // The pipe is full: try again shortly (an exit meanwhile writes this chunk first).
        waiting = { chunk, offset };
        setTimeout(() => {
          if (waiting === undefined) return; // written by the exit flush
          waiting = undefined;
          writeChunk(chunk, offset);
        }, EAGAIN_RETRY_MS);
        return;
      }
      // stdout is gone: count what will never be written.
      broken = true;
      dropped += countLines(chunk, offset) + queue.length;
      queue.length = 0;
      sizes.length = 0;
      queuedBytes = 0;
      writing = false;
      return;
    }
    if (offset + written < chunk.length) {
      writeChunk(chunk, offset + written);
      return;
    }
    reportDropped();
    // The next chunk after this event-loop turn: what it logs goes into the same write.
    if (queue.length > 0) setImmediate(writeNext); else writing = false;
  });
}

/** After lines were dropped, a line that says how many, as soon as it fits. */
function reportDropped() {
  if (dropped === 0) return;
  const report = line('log-dropped', { lines: dropped, reason: 'stdout was not read fast enough' });
  // Still full: the count waits for the next write (the report is not itself counted).
  if (queuedBytes + Buffer.byteLength(report) > limitBytes) return;
  dropped = 0;
  push(report);
}

function countLines(chunk, offset) {
  let n = 0;
  for (let i = offset; i < chunk.length; i++) if (chunk[i] === 10) n++;
  return n;
}

/**
 * On exit, what is queued is written synchronously, unless a write is stalled (its reader
 * stopped reading: a synchronous write could block the exit for ever).
 */
function flushSync() {
  if (broken || (queue.length === 0 && dropped === 0 && waiting === undefined)) return;
  if (inFlightSince > 0 && Date.now() - inFlightSince > STALLED_MS) return;
  if (dropped > 0) {
    const report = line('log-dropped', { lines: dropped, reason: 'stdout was not read fast enough' });
    queue.push(report);
    sizes.push(Buffer.byteLength(report));
    dropped = 0;
  }
  const deadline = Date.now() + EXIT_FLUSH_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const chunks = waiting ? [waiting] : [];
  waiting = undefined;
  while (chunks.length > 0 || queue.length > 0) {
    const next = chunks.shift() ?? { chunk: takeChunk(), offset: 0 };
    const chunk = next.chunk;
    let offset = next.offset;
    while (offset < chunk.length) {
      try {
        offset += fs.writeSync(FD, chunk, offset);
      } catch (err) {
        if (err.code !== 'EAGAIN' || Date.now() > deadline) return;
        Atomics.wait(pause, 0, 0, EAGAIN_RETRY_MS);
      }
    }
  }
}

/** The JSON line of an event, at most PIPE_BUF bytes: the longest string fields are shortened. */
function line(event, fields) {
  const text = `${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, event, ...fields })}\n`;
  if (Buffer.byteLength(text) <= PIPE_BUF) return text;
  const shortened = { ...fields, truncated: true };
  for (const [key, value] of Object.entries(shortened)) {
    if (typeof value === 'string' && value.length > 200) shortened[key] = value.slice(0, 200);
    else if (typeof value === 'object' && value !== null) shortened[key] = JSON.stringify(value).slice(0, 200);
  }
  const short = `${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, event, ...shortened })}\n`;
  return Buffer.byteLength(short) <= PIPE_BUF ? short : `${JSON.stringify({ ts: new Date().toISOString(), pid: process.pid, event, truncated: true })}\n`;
}

function log(event, fields = {}) {
  push(line(event, fields));
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
 * for routes whose method, path and status are known in advance (logRequestWith). A path is
 * at most 1,000 characters in the log (a URL may be up to 16 KB).
 */
function requestLineMiddle(method, path, status) {
  const logged = path.length > 1000 ? path.slice(0, 1000) : path;
  return `,"event":"request","method":${JSON.stringify(method)},"path":${JSON.stringify(logged)},"status":${status},"ms":`;
}

function logRequestWith(middle, ms) {
  push(head() + middle + ms + '}\n');
}

function logRequest(method, path, status, ms) {
  logRequestWith(requestLineMiddle(method, path, status), ms);
}

/**
 * A logger for the AWS SDK (its `logger` option): its warnings and errors become JSON lines
 * (by default it writes multi-line text to stderr); debug and info are dropped.
 */
const sdkLogger = {
  debug() {},
  info() {},
  warn: (...args) => log('aws-sdk', { level: 'warn', message: args.map(String).join(' ') }),
  error: (...args) => log('aws-sdk', { level: 'error', message: args.map(String).join(' ') }),
};

/** Node's process warnings as JSON lines instead of text on stderr. */
function captureWarnings() {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => log('node-warning', { name: warning.name, message: warning.message, code: warning.code }));
}

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

process.on('exit', flushSync);

module.exports = { log, logRequest, logRequestWith, requestLineMiddle, sdkLogger, captureWarnings, flushSync };
