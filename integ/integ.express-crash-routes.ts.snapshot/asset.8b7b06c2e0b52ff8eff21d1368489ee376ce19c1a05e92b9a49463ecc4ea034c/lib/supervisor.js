'use strict';
// The primary process: forks the workers, replaces the ones that die (with back-off so a
// crash loop cannot spin), and shuts them down gracefully on SIGTERM.
const cluster = require('node:cluster');
const readline = require('node:readline');
const { log } = require('./log');

// A few deaths are replaced at once; more than FREE_RESTARTS within WINDOW_MS is a crash
// loop, and each further restart waits twice as long as the last, up to MAX_BACKOFF_MS.
const WINDOW_MS = 30_000;
const FREE_RESTARTS = 4;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 10_000;

function runPrimary(config) {
  // The workers accept connections themselves, on the listening socket they share. In Node's
  // default round-robin mode the primary accepts and hands each connection to a worker; one
  // handed to a worker that dies before taking it is never answered nor closed (quick repeated
  // crashes left client connections hanging for good). Here a connection waits in the kernel's
  // queue until a live worker accepts it.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  // Each worker gets its share of the heap: a runaway worker dies alone.
  // A worker's stderr comes here and leaves as JSON lines: what Node itself writes there (V8's
  // out-of-memory report, a native crash) is text of several lines. Its stdout is the supervisor's.
  cluster.setupPrimary({
    execArgv: [...process.execArgv, `--max-old-space-size=${config.heapLimitMb}`],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });

  const state = new Map(); // worker id -> { started, route, replaced }
  let restarts = []; // times of recent replacements
  let shuttingDown = false;
  let cleanShutdown = true;

  log('supervisor-started', {
    port: config.port, workers: config.workers, heapLimitMb: config.heapLimitMb, memoryMb: config.memoryMb, crashRoutes: config.crashRoutes,
    tableName: config.tableName ?? null,
  });

  const fork = () => {
    if (shuttingDown) return;
    const worker = cluster.fork();
    relayStderr(worker);
    const info = { worker, started: Date.now(), route: undefined, replaced: false, listened: false, handingOver: false };
    state.set(worker.id, info);
    worker.on('listening', () => {
      info.listened = true;
      log('worker-started', { workerPid: worker.process.pid });
      releaseHandOvers();
    });
    worker.on('message', (message) => onMessage(worker, message));
  };

  // A worker that crashed keeps accepting until another worker does: tell it when one does.
  const releaseHandOvers = () => {
    for (const info of state.values()) {
      if (!info.handingOver) continue;
      const others = [...state.values()].some(other => other !== info && other.listened && !other.replaced);
      if (others && info.worker.isConnected()) {
        info.handingOver = false;
        info.worker.send({ type: 'others-accepting' });
      }
    }
  };

  const replace = (info) => {
    if (info.replaced) return;
    info.replaced = true;
    const now = Date.now();
    restarts = [...restarts.filter(t => now - t < WINDOW_MS), now];
    const excess = restarts.length - FREE_RESTARTS;
    // Workers that will accept connections: the ones not being replaced (starting ones included).
    const accepting = [...state.values()].filter(other => !other.replaced).length;
    if (excess <= 0 || accepting === 0) {
      // Back-off slows a crash loop down, but never leaves the service without a worker.
      if (excess > 0) log('worker-restart-immediate', { reason: 'no other worker accepts', restartsInWindow: restarts.length });
      fork();
    } else {
      const delayMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (excess - 1));
      log('worker-restart-delayed', { delayMs, restartsInWindow: restarts.length, livedMs: now - info.started });
      setTimeout(fork, delayMs); // not unref'd: with no worker left, this timer keeps the supervisor alive
    }
  };

  const onMessage = (worker, message) => {
    const info = state.get(worker.id);
    if (!info) return;
    if (message?.type === 'crashing') {
      info.route = message.route ?? info.route;
    } else if (message?.type === 'draining' && !shuttingDown) {
      // The worker stops accepting: start its replacement now, not when it is gone.
      log('worker-draining', { workerPid: worker.process.pid, reason: message.reason ?? null });
      info.handingOver = Boolean(message.handOver);
      replace(info);
      releaseHandOvers();
    }
  };

  cluster.on('exit', (worker, code, signal) => {
    const info = state.get(worker.id);
    state.delete(worker.id);
    log(shuttingDown ? 'worker-exited' : 'worker-died', {
      workerPid: worker.process.pid, code, signal, route: info?.route ?? null,
      livedMs: info ? Date.now() - info.started : null,
    });
    if (!shuttingDown && info && !info.listened) {
      // It died before it ever listened (port in use, a bad setting): every replacement would
      // too. Stop at once, non-zero, instead of replacing workers for ever.
      shuttingDown = true;
      log('supervisor-stopped', { reason: 'a worker failed to start (see its startup-failed line)', code, signal });
      for (const other of Object.values(cluster.workers ?? {})) other.process.kill('SIGKILL');
      process.exit(1);
    }
    if (!shuttingDown) {
      if (info) replace(info);
      return;
    }
    // Shutting down: the supervisor's exit code is its workers' (0 only when each finished clean).
    if (code !== 0) cleanShutdown = false;
    if (Object.keys(cluster.workers ?? {}).length === 0) {
      log('supervisor-stopped', { clean: cleanShutdown });
      process.exit(cleanShutdown ? 0 : 1);
    }
  });

  const shutdown = (signal) => {
    if (shuttingDown) {
      log('signal-ignored', { signal, reason: 'already shutting down' });
      return;
    }
    shuttingDown = true;
    log('shutdown', { signal, mode: 'supervisor', workers: Object.keys(cluster.workers ?? {}).length });
    for (const worker of Object.values(cluster.workers ?? {})) {
      worker.send({ type: 'shutdown' });
    }
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    setTimeout(() => {
      log('supervisor-stopped', { forced: true });
      process.exit(1);
    }, config.shutdownTimeoutMs + 2_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  for (let i = 0; i < config.workers; i++) fork();
}

/** Each line a worker writes to stderr, as a `worker-stderr` line (long lines cut at 2,000 characters). */
function relayStderr(worker) {
  const pid = worker.process.pid;
  const lines = readline.createInterface({ input: worker.process.stderr, crlfDelay: Infinity });
  lines.on('line', (text) => {
    if (text.trim() !== '') log('worker-stderr', { workerPid: pid, line: text.slice(0, 2000) });
  });
}

module.exports = { runPrimary };
