'use strict';
// The table routes' storage. The SDK reads AWS_REGION, credentials and
// AWS_ENDPOINT_URL_DYNAMODB (a local server) from the environment.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const { sdkLogger } = require('./log');

let documentClient;
let timeoutMs = 3000;

/**
 * An answer DynamoDB did not give: 503 when it cannot be reached, 504 when it did not answer in
 * time; 400 when it rejected the request as invalid.
 */
class DynamoDbError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Every call is bounded by `ms` in all, retries included (DYNAMODB_TIMEOUT_MS). */
function configure(ms) {
  timeoutMs = ms;
  documentClient = undefined;
}

function client() {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({
    maxAttempts: 2,
    logger: sdkLogger,
    // The socket-level bounds; the whole call is bounded by the abort signal in send().
    requestHandler: new NodeHttpHandler({
      connectionTimeout: Math.min(1000, timeoutMs),
      requestTimeout: timeoutMs,
      throwOnRequestTimeout: true,
      logger: sdkLogger,
    }),
  }));
  return documentClient;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

async function send(command) {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    return await client().send(command, { abortSignal: signal });
  } catch (err) {
    if (signal.aborted || err?.name === 'AbortError' || err?.name === 'TimeoutError' || /timeout/i.test(err?.message ?? '')) {
      throw new DynamoDbError(504, `DynamoDB did not answer within ${timeoutMs} ms`);
    }
    if (err?.name === 'ValidationException') {
      throw new DynamoDbError(400, 'DynamoDB rejected the request as invalid');
    }
    const code = err?.code ?? err?.cause?.code;
    if (UNREACHABLE.has(code)) {
      throw new DynamoDbError(503, `DynamoDB is unreachable (${code})`);
    }
    throw err;
  }
}

async function putItem(tableName, item) {
  await send(new PutCommand({ TableName: tableName, Item: item }));
  return item;
}

async function queryItems(tableName, pk, limit) {
  const result = await send(new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    Limit: limit,
    ScanIndexForward: false,
    // A write the route acknowledged is in the next read (a Query is eventually consistent by default).
    ConsistentRead: true,
  }));
  return result.Items ?? [];
}

module.exports = { configure, putItem, queryItems, DynamoDbError };
