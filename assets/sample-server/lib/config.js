'use strict';
const os = require('node:os');

/** Settings from the environment, with the defaults the README documents. */
function readConfig(env = process.env) {
  const workers = positiveInt(env.WEB_CONCURRENCY, os.availableParallelism());
  const memoryMb = positiveInt(env.INSTANCE_MEMORY_MB, Math.floor(os.totalmem() / 1048576));
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
    bodyLimitBytes: positiveInt(env.BODY_LIMIT_BYTES, 64 * 1024),
    shutdownTimeoutMs: positiveInt(env.SHUTDOWN_TIMEOUT_MS, 10_000),
    // Every DynamoDB call, retries included, answers within this (504 past it).
    dynamoDbTimeoutMs: positiveInt(env.DYNAMODB_TIMEOUT_MS, 3_000),
  };
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

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

module.exports = { readConfig };
