'use strict';
// The HTTP server of one process: routes, access log, limits and graceful draining.
const http = require('node:http');
const net = require('node:net');
const { AsyncLocalStorage } = require('node:async_hooks');
const { setTimeout: sleep } = require('node:timers/promises');
const CRASH_ROUTES = require('./crash-routes.json');
const dynamodb = require('./dynamodb');
const { itemToWrite, readQuery, InvalidInput } = require('./item');
const { log, logRequest, logRequestWith, requestLineMiddle } = require('./log');

const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hello</title></head>'
  + '<body><h1>Hello from App Runner</h1><p>cdk-apprunner-web-service sample server</p></body></html>';

// A string body, not a Buffer: node:http then sends the head and the body in one write()
// instead of a writev() of two parts.
const PAGE_HEADERS = responseHeaders('text/html; charset=utf-8', Buffer.byteLength(PAGE));

const MAX_DELAY_MS = 10_000;
const IDLE_GRACE_MS = 1_000; // while draining, idle keep-alive connections may still bring one request
const EMPTY_PARAMS = new URLSearchParams();
// Routes that answer before their handler returns: nothing of theirs can throw later, so they
// skip the async context and are logged at once (no 'close' listener). On Node 20 entering an
// AsyncLocalStorage costs about a tenth of the throughput of GET / (bench/README.md).
const ANSWERED_AT_ONCE = new Set(['GET /', 'GET /healthz']);
const OK_LINES = new Map([...ANSWERED_AT_ONCE].map(key => {
  const [method, path] = key.split(' ');
  return [key, requestLineMiddle(method, path, 200)];
}));
const MEMORY_STEP = 32 * 1024 * 1024; // array slots of 8 bytes: 256 MB of heap per step

/** The request being handled, for whoever needs to know it later (an uncaught exception). */
const requestContext = new AsyncLocalStorage();

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * @param config from readConfig()
 * @param hooks.beforeCrash(route, done): called before a crash route kills the process
 */
function createApp(config, hooks = {}) {
  const beforeCrash = hooks.beforeCrash ?? ((_route, done) => done());
  dynamodb.configure(config.dynamoDbTimeoutMs);
  let draining = false;

  const routes = {
    'GET /': (_req, res) => {
      res.writeHead(200, PAGE_HEADERS);
      res.end(PAGE);
    },
    'GET /healthz': (_req, res) => json(res, 200, { status: 'ok', pid: process.pid, uptime: process.uptime() }),
    'GET /delay': async (_req, res, params) => {
      const ms = Number(params.get('ms') ?? 0);
      if (!Number.isInteger(ms) || ms < 0 || ms > MAX_DELAY_MS) {
        throw new HttpError(400, `ms must be an integer from 0 to ${MAX_DELAY_MS}`);
      }
      await sleep(ms);
      json(res, 200, { delayedMs: ms, pid: process.pid });
    },
    'POST /dynamodb/write': async (req, res) => {
      const body = await readJson(req, config.bodyLimitBytes);
      const tableName = requireTable();
      json(res, 200, { item: await dynamodb.putItem(tableName, itemToWrite(body)) });
    },
    'GET /dynamodb/read': async (_req, res, params) => {
      const tableName = requireTable();
      const { pk, limit } = readQuery(params);
      const items = await dynamodb.queryItems(tableName, pk, limit);
      json(res, 200, { items });
    },
  };

  // The crash routes are listed once, in crash-routes.json, which the tests, the local run and
  // the deployed integration test read too.
  const crashHandlers = {
    '/panic': () => {
      // Thrown outside the handler's own call stack, as a failing callback would.
      setImmediate(() => {
        throw new Error('panic route: an uncaught exception');
      });
    },
    '/exit': () => beforeCrash('/exit', () => {
      log('exit', { route: '/exit', message: 'exit route: exiting with code 1' });
      process.exit(1);
    }),
    '/fatal': () => beforeCrash('/fatal', () => {
      log('fatal', { route: '/fatal', message: 'fatal route: giving up' });
      process.exit(1);
    }),
    '/use-all-memory': () => beforeCrash('/use-all-memory', () => {
      const hoard = [];
      const step = () => {
        hoard.push(new Array(MEMORY_STEP).fill(hoard.length));
        log('memory-step', { route: '/use-all-memory', heldMb: hoard.length * 256, rssMb: Math.round(process.memoryUsage().rss / 1048576) });
        setImmediate(step);
      };
      step();
    }),
  };
  for (const route of Object.keys(crashHandlers)) {
    if (!CRASH_ROUTES.includes(route)) throw new Error(`crash route ${route} has a handler but is not listed in crash-routes.json`);
  }
  // HEAD is answered wherever GET is, but for the crash routes: a HEAD (a link checker, a
  // prefetch) must never restart a worker.
  const safeRoutes = { ...routes };
  for (const route of CRASH_ROUTES) {
    if (!crashHandlers[route]) throw new Error(`crash route ${route} is listed but has no handler`);
    if (config.crashRoutes) routes[`GET ${route}`] = crashHandlers[route];
  }
  /** The methods a path answers, HEAD included where GET is safe; empty for an unknown path. */
  function allowedMethods(pathname) {
    const methods = Object.keys(routes).filter(k => k.endsWith(` ${pathname}`)).map(k => k.split(' ')[0]);
    if (safeRoutes[`GET ${pathname}`]) methods.push('HEAD');
    return methods;
  }

  function requireTable() {
    if (!config.tableName) {
      throw new HttpError(500, 'TABLE_NAME is not set');
    }
    return config.tableName;
  }

  // Below App Runner's 120 s request limit in the worst case: Node checks the timeouts every
  // connectionsCheckingInterval, so a slow request is cut between requestTimeout and
  // requestTimeout + the interval.
  const server = http.createServer({
    requestTimeout: config.requestTimeoutMs,
    headersTimeout: Math.min(66_000, config.requestTimeoutMs),
    connectionsCheckingInterval: checkingInterval(config.requestTimeoutMs),
  }, (req, res) => {
    const started = performance.now();
    const rawUrl = req.url ?? '/';
    const query = rawUrl.indexOf('?');
    const pathname = query === -1 ? rawUrl : rawUrl.slice(0, query);
    if (draining) {
      res.setHeader('connection', 'close');
    }
    const key = `${req.method} ${pathname}`;
    const handler = routes[key] ?? (req.method === 'HEAD' ? safeRoutes[`GET ${pathname}`] : undefined);
    if (handler !== undefined && ANSWERED_AT_ONCE.has(key) && query === -1) {
      // The hot path: answered before the handler returns, so it is logged right away.
      handler(req, res, EMPTY_PARAMS);
      if (config.accessLog) {
        const middle = res.statusCode === 200 ? OK_LINES.get(key) : undefined;
        if (middle) {
          logRequestWith(middle, msSince(started));
        } else {
          logRequest(req.method, pathname, res.statusCode, msSince(started));
        }
      }
      return;
    }
    if (config.accessLog) {
      res.once('close', () => logRequest(req.method, pathname, res.headersSent ? res.statusCode : 0, msSince(started)));
    }
    const fail = (err) => {
      // Our own errors carry a status and a message meant for the client; anything else is a
      // 500 whose detail goes to the log only.
      const known = err instanceof HttpError || err instanceof InvalidInput || err instanceof dynamodb.DynamoDbError;
      const status = known ? err.status : 500;
      if (status >= 500) {
        log('request-error', { method: req.method, path: pathname, status, error: String(err?.stack ?? err?.message ?? err) });
      }
      if (!res.headersSent) {
        if (status === 413) {
          res.setHeader('connection', 'close'); // the rest of the body stays unread
        }
        if (status === 405) {
          res.setHeader('allow', allowedMethods(pathname).join(', '));
        }
        json(res, status, { error: known ? err.message : 'internal error' });
      }
    };
    try {
      if (!handler) {
        throw allowedMethods(pathname).length > 0
          ? new HttpError(405, `${req.method} is not allowed on ${pathname}`)
          : new HttpError(404, `no route for ${req.method} ${pathname}`);
      }
      const params = query === -1 ? EMPTY_PARAMS : new URL(rawUrl, 'http://localhost').searchParams;
      // Every other route may still run code after the handler returns: remember whose it is,
      // so an uncaught exception names the route and fails that request only.
      requestContext.run({ route: pathname, res }, () => {
        const result = handler(req, res, params);
        if (result && typeof result.then === 'function') {
          result.catch(fail);
        }
      });
    } catch (err) {
      fail(err);
    }
  });

  // Keep-alive above a proxy's 60 s idle timeout so the proxy, not us, closes idle connections.
  server.keepAliveTimeout = 65_000;

  // For draining: which connections have a request being answered, and how far each had read
  // when its last response ended (bytes after that are a request that has not arrived whole).
  const answering = new Map(); // socket -> requests in progress
  const readAtLastResponse = new WeakMap();
  server.on('request', (req, res) => {
    const socket = req.socket;
    answering.set(socket, (answering.get(socket) ?? 0) + 1);
    res.once('close', () => {
      const left = answering.get(socket) - 1;
      if (left > 0) answering.set(socket, left); else answering.delete(socket);
      readAtLastResponse.set(socket, socket.bytesRead);
    });
  });
  const connections = new Set();
  server.on('connection', (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  /** Connections with part of a request and nothing being answered: they can never complete it now. */
  const closePartialRequests = () => {
    for (const socket of connections) {
      if (!answering.has(socket) && socket.bytesRead > (readAtLastResponse.get(socket) ?? 0)) socket.destroy();
    }
  };

  /**
   * Stop accepting, let in-flight requests finish (within timeoutMs), then resolve true;
   * false when the bound forced the remaining connections closed.
   */
  function drain(timeoutMs) {
    draining = true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections();
        resolve(false);
      }, timeoutMs);
      timer.unref();
      // net's close, not http's: http's would also drop connections accepted a moment ago
      // whose request has not arrived yet. Responses now say `connection: close`, so busy
      // connections end after their response; idle keep-alive ones get a grace period.
      net.Server.prototype.close.call(server, () => {
        clearTimeout(timer);
        resolve(true);
      });
      // A half-sent request will not be completed for a server that is going away: closed at once,
      // so it does not hold the shutdown for SHUTDOWN_TIMEOUT_MS.
      closePartialRequests();
      setTimeout(() => {
        closePartialRequests();
        server.closeIdleConnections();
      }, IDLE_GRACE_MS).unref();
    });
  }

  return { server, drain };
}

/** How often Node checks request timeouts: a tenth of the timeout, from 100 ms to 5 s. */
function checkingInterval(requestTimeoutMs) {
  return Math.max(100, Math.min(5_000, Math.floor(requestTimeoutMs / 10)));
}

/** Milliseconds since `started` (a performance.now() reading), to the microsecond. */
function msSince(started) {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

/** The headers of every response, as the flat list writeHead takes. */
function responseHeaders(contentType, length) {
  return [
    'content-type', contentType,
    'content-length', String(length),
    'cache-control', 'no-store',
    'x-content-type-options', 'nosniff',
  ];
}

function send(res, status, contentType, body) {
  res.writeHead(status, responseHeaders(contentType, Buffer.byteLength(body)));
  res.end(body);
}

function json(res, status, value) {
  send(res, status, 'application/json', JSON.stringify(value));
}

async function readJson(req, limit) {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) {
    throw new HttpError(413, `body is larger than ${limit} bytes`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) {
      throw new HttpError(413, `body is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  if (size === 0) {
    return {};
  }
  let value;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value;
}

module.exports = { createApp, requestContext, checkingInterval };
