'use strict';
const fs = require('node:fs');
const os = require('node:os');

/** Settings from the environment, with the defaults the README documents. */
function readConfig(env = process.env) {
  const workers = positiveInt(env.WEB_CONCURRENCY, os.availableParallelism());
  // Never the host's memory (a laptop's 32 GB would let a runaway worker take it all): the
  // instance's (the construct sets INSTANCE_MEMORY_MB), else the container's limit, else 1 GB.
  const memoryMb = positiveInt(env.INSTANCE_MEMORY_MB, undefined) ?? cgroupMemoryMb() ?? DEFAULT_MEMORY_MB;
  return {
    port: port(env.PORT),
    // The address to listen on: every address by default (App Runner reaches the container from
    // outside it); the local run sets 127.0.0.1.
    host: env.HOST || undefined,
    supervisor: !['off', 'false', '0'].includes(String(env.SUPERVISOR ?? 'on').toLowerCase()),
    workers,
    memoryMb,
    // Half the instance's memory shared by the workers: one worker that runs away hits
    // its own limit long before the instance runs out.
    heapLimitMb: Math.max(64, Math.floor((memoryMb * 0.5) / workers)),
    tableName: env.TABLE_NAME,
    accessLog: !['off', 'false', '0'].includes(String(env.ACCESS_LOG ?? 'on').toLowerCase()),
    // The crash routes let anyone who reaches the server restart its workers: off unless asked for.
    crashRoutes: ['on', 'true', '1'].includes(String(env.CRASH_ROUTES ?? 'off').toLowerCase()),
    bodyLimitBytes: positiveInt(env.BODY_LIMIT_BYTES, 64 * 1024),
    shutdownTimeoutMs: positiveInt(env.SHUTDOWN_TIMEOUT_MS, 10_000),
    // A request (headers and body) must arrive within this; with Node's check interval the
    // worst case stays below App Runner's 120 s (95 s by default).
    requestTimeoutMs: requestTimeout(env.REQUEST_TIMEOUT_MS),
    // Every DynamoDB call, retries included, answers within this (504 past it).
    dynamoDbTimeoutMs: positiveInt(env.DYNAMODB_TIMEOUT_MS, 3_000),
  };
}

const DEFAULT_MEMORY_MB = 1024;
const MAX_REQUEST_TIMEOUT_MS = 110_000;

/** The memory limit of this process's cgroup (v2, then v1) in MB; undefined without one. */
function cgroupMemoryMb(read = (file) => fs.readFileSync(file, 'utf8')) {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const bytes = Number(read(file).trim());
      // "max", or v1's "no limit" (a number near 2^63), means none.
      if (Number.isFinite(bytes) && bytes > 0 && bytes < os.totalmem()) return Math.floor(bytes / 1048576);
    } catch {
      // no such cgroup file: try the next, then none
    }
  }
  return undefined;
}

/** PORT, or 8080; a value that is no TCP port is an error, not a silent default. */
function port(value) {
  if (value === undefined || value === '') return 8080;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`PORT must be an integer from 1 to 65535, got '${value}'`);
  }
  return n;
}

/** REQUEST_TIMEOUT_MS, or 90 s; beyond 110 s a slow request could outlive App Runner's 120 s. */
function requestTimeout(value) {
  if (value === undefined || value === '') return 90_000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1000 || n > MAX_REQUEST_TIMEOUT_MS) {
    throw new Error(`REQUEST_TIMEOUT_MS must be an integer from 1000 to ${MAX_REQUEST_TIMEOUT_MS}, got '${value}'`);
  }
  return n;
}

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

module.exports = { readConfig, cgroupMemoryMb };
