'use strict';
// Entry point (the image's CMD). With the supervisor on (default), a primary process forks
// workers with node:cluster, serves nothing itself, and replaces any worker that dies, so a
// crash costs only the requests that worker held. SUPERVISOR=off runs one plain process, as
// most App Runner images do: a crash then takes the whole instance down.
const cluster = require('node:cluster');
const { readConfig } = require('./lib/config');
const { log } = require('./lib/log');

const config = readConfig();
const HANDOFF_GRACE_MS = 250;

if (!config.supervisor) {
  runSingleProcess();
} else if (cluster.isPrimary) {
  require('./lib/supervisor').runPrimary(config);
} else {
  runWorker();
}

function runSingleProcess() {
  const { createApp, requestContext } = require('./lib/app');
  const { server, drain } = createApp(config);
  process.on('uncaughtException', (err) => {
    log('uncaught-exception', { error: String(err.stack ?? err), route: requestContext.getStore()?.route });
    process.exit(1);
  });
  onTermination(async (signal) => {
    log('shutdown', { signal, mode: 'single' });
    const clean = await drain(config.shutdownTimeoutMs);
    process.exit(clean ? 0 : 1);
  });
  server.listen(config.port, () => log('listening', { port: config.port, mode: 'single', tableName: config.tableName ?? null }));
}

function runWorker() {
  const { createApp, requestContext } = require('./lib/app');
  const tell = (message, done) => (process.connected ? process.send(message, done) : done?.());
  const { server, drain } = createApp(config, {
    // Tell the primary which route is about to kill this worker, then die.
    beforeCrash: (route, done) => tell({ type: 'crashing', route }, () => done()),
  });

  let stopping = false;
  const stop = async (reason, exitCode) => {
    if (stopping) return;
    stopping = true;
    tell({ type: 'draining', reason });
    const clean = await drain(config.shutdownTimeoutMs);
    // Connections the primary handed over just before it saw us stop listening are still
    // on their way: stay alive a moment so they are refused and handed to another worker
    // (a worker that exits first leaves them hanging in the primary).
    await new Promise(resolve => setTimeout(resolve, HANDOFF_GRACE_MS));
    log('worker-stopped', { reason, clean });
    process.exit(clean ? exitCode : 1);
  };

  process.on('uncaughtException', (err) => {
    const context = requestContext.getStore();
    log('uncaught-exception', { error: String(err.stack ?? err), route: context?.route });
    tell({ type: 'crashing', route: context?.route });
    // The request that threw can never finish: fail it now, let the others complete, then exit.
    context?.res.destroy();
    void stop('uncaught-exception', 1);
  });
  process.on('message', (message) => {
    if (message?.type === 'shutdown') void stop('shutdown', 0);
  });
  // A signal to the whole process group (Ctrl-C in a terminal, a group kill) reaches the
  // primary too, which shuts every worker down in order: a worker acting on it alone would
  // look like a crash and be replaced. Without a primary, the worker stops by itself.
  onTermination(() => (process.connected ? undefined : stop('signal', 0)));
  process.on('disconnect', () => void stop('supervisor-gone', 0));

  server.listen(config.port);
}

function onTermination(handler) {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => void handler(signal));
  }
}
