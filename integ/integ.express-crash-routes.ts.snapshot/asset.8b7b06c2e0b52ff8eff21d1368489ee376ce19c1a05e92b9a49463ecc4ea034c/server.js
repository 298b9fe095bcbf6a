'use strict';
// Entry point (the image's CMD). With the supervisor on (default), a primary process forks
// workers with node:cluster, serves nothing itself, and replaces any worker that dies, so a
// crash costs only the requests that worker held. SUPERVISOR=off runs one plain process, as
// most App Runner images do: a crash then takes the whole instance down.
const cluster = require('node:cluster');
const v8 = require('node:v8');
const { readConfig } = require('./lib/config');
const { log, captureWarnings } = require('./lib/log');

captureWarnings();
const config = startupConfig();
const MEMORY_HIGH = 0.85;
const MEMORY_CHECK_MS = 100;
const HANDOVER_WAIT_MS = 2_000;

if (!config.supervisor) {
  runSingleProcess();
} else if (cluster.isPrimary) {
  require('./lib/supervisor').runPrimary(config);
} else {
  runWorker();
}

/** The settings, or a `startup-failed` line and exit 1: a wrong setting must not look like a crash loop. */
function startupConfig() {
  try {
    return readConfig();
  } catch (err) {
    log('startup-failed', { error: String(err.message ?? err) });
    process.exit(1);
  }
}

/**
 * Listens on the configured address; an error before listening (port in use, address not
 * available) is fatal: a `startup-failed` line, then `failed(error)`.
 */
function listen(server, failed, onListening) {
  const beforeListening = (err) => {
    log('startup-failed', { error: String(err.message ?? err), port: config.port, host: config.host ?? null });
    failed(err);
  };
  server.once('error', beforeListening);
  server.listen(config.port, config.host, () => {
    server.off('error', beforeListening);
    onListening?.();
  });
}

function runSingleProcess() {
  const { createApp, requestContext } = require('./lib/app');
  const { server, drain } = createApp(config);
  process.on('uncaughtException', (err) => {
    log('uncaught-exception', { error: String(err.stack ?? err), route: requestContext.getStore()?.route });
    process.exit(1);
  });
  let shuttingDown = false;
  onTermination(async (signal) => {
    if (shuttingDown) {
      // A second Ctrl-C or SIGTERM must not cut the requests still being answered.
      log('signal-ignored', { signal, reason: 'already shutting down' });
      return;
    }
    shuttingDown = true;
    log('shutdown', { signal, mode: 'single' });
    const clean = await drain(config.shutdownTimeoutMs);
    process.exit(clean ? 0 : 1);
  });
  listen(server, () => process.exit(1),
    () => log('listening', {
      port: config.port, host: config.host ?? null, mode: 'single', tableName: config.tableName ?? null, crashRoutes: config.crashRoutes,
    }));
}

function runWorker() {
  const { createApp, requestContext } = require('./lib/app');
  const tell = (message, done) => (process.connected ? process.send(message, done) : done?.());
  const { server, drain } = createApp(config, {
    // Tell the primary which route is about to kill this worker, then die.
    beforeCrash: (route, done) => tell({ type: 'crashing', route }, () => done()),
  });

  let stopping = false;
  let othersAccepting;
  const othersAccept = new Promise(resolve => { othersAccepting = resolve; });
  /**
   * Stops accepting, finishes what is in flight, exits. After a crash (`handOver`), the worker
   * first keeps accepting until the primary says another worker accepts (at most
   * HANDOVER_WAIT_MS): the workers share one listening socket, which closes, refusing
   * connections, when the last worker holding it lets go.
   */
  const stop = async (reason, exitCode, handOver = false) => {
    if (stopping) return;
    stopping = true;
    tell({ type: 'draining', reason, handOver });
    if (handOver) {
      await Promise.race([othersAccept, new Promise(resolve => setTimeout(resolve, HANDOVER_WAIT_MS))]);
    }
    log('worker-closing', { reason });
    const clean = await drain(config.shutdownTimeoutMs);
    log('worker-stopped', { reason, clean });
    process.exit(clean ? exitCode : 1);
  };

  process.on('uncaughtException', (err) => {
    const context = requestContext.getStore();
    log('uncaught-exception', { error: String(err.stack ?? err), route: context?.route });
    tell({ type: 'crashing', route: context?.route });
    // The request that threw can never finish: fail it now, let the others complete, then exit.
    context?.res.destroy();
    void stop('uncaught-exception', 1, true);
  });
  process.on('message', (message) => {
    if (message?.type === 'shutdown') void stop('shutdown', 0);
    if (message?.type === 'others-accepting') othersAccepting();
  });
  // A signal to the whole process group (Ctrl-C in a terminal, a group kill) reaches the
  // primary too, which shuts every worker down in order: a worker acting on it alone would
  // look like a crash and be replaced. Without a primary, the worker stops by itself.
  onTermination(() => (process.connected ? undefined : stop('signal', 0)));
  process.on('disconnect', () => void stop('supervisor-gone', 0));
  // A worker whose heap nears its limit is about to die of it: it stops accepting now, so new
  // connections go to the other workers, and the primary starts its replacement.
  const heapLimit = v8.getHeapStatistics().heap_size_limit;
  setInterval(() => {
    const used = process.memoryUsage().heapUsed;
    if (used > MEMORY_HIGH * heapLimit && !stopping) {
      log('worker-memory-high', { heapUsedMb: Math.round(used / 1048576), heapLimitMb: Math.round(heapLimit / 1048576) });
      void stop('memory', 1, true);
    }
  }, MEMORY_CHECK_MS).unref();

  // The primary learns of a failure to listen from this worker's exit before 'listening'.
  listen(server, () => tell({ type: 'startup-failed' }, () => process.exit(1)));
}

/** `handler` on every SIGTERM and SIGINT (a listener stays: a repeated signal must not kill the process). */
function onTermination(handler) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => void handler(signal));
  }
}
