'use strict';
const os = require('node:os');

/** Settings from the environment, with the defaults the README documents. */
function readConfig(env = process.env) {
  const workers = positiveInt(env.WEB_CONCURRENCY, os.availableParallelism());
  const memoryMb = positiveInt(env.INSTANCE_MEMORY_MB, Math.floor(os.totalmem() / 1048576));
  return {
    port: positiveInt(env.PORT, 8080),
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

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

module.exports = { readConfig };
