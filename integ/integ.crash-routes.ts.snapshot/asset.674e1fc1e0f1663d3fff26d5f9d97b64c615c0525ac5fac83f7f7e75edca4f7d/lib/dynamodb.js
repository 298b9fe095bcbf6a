'use strict';
// The table routes' storage. The SDK reads AWS_REGION, credentials and
// AWS_ENDPOINT_URL_DYNAMODB (a local server) from the environment.
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, PutCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

let documentClient;

function client() {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({
    // Bounded: a dead endpoint costs one request a few seconds, never a hung handler.
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
  }));
  return documentClient;
}

async function putItem(tableName, item) {
  await client().send(new PutCommand({ TableName: tableName, Item: item }));
  return item;
}

async function queryItems(tableName, pk, limit) {
  const result = await client().send(new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': pk },
    Limit: limit,
    ScanIndexForward: false,
  }));
  return result.Items ?? [];
}

module.exports = { putItem, queryItems };
