'use strict';
// What the table routes accept, checked before DynamoDB sees it: a client's mistake answers
// 400 with a short reason, and what is acknowledged is exactly what is stored and read back.

// DynamoDB's limits (developer guide, "Quotas": attributes, keys, numbers).
const PARTITION_KEY_MAX_BYTES = 2048;
const SORT_KEY_MAX_BYTES = 1024;
const MAX_DEPTH = 32; // nested attribute levels
const MIN_MAGNITUDE = 1e-130;
// Beyond this the SDK refuses a JavaScript number (and reading one back gives a BigInt).
const MAX_INTEGER = Number.MAX_SAFE_INTEGER;
// Names a plain JavaScript object cannot hold as data (`__proto__` sets the prototype) or the
// SDK mistakes for the object's own machinery (`constructor`, `toString`, ...).
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const MAX_READ_LIMIT = 100;
const DEFAULT_READ_LIMIT = 25;

class InvalidInput extends Error {
  constructor(message) {
    super(message);
    this.status = 400;
  }
}

/**
 * The item to write from a request body (an object parsed from JSON): `pk` defaults to
 * "sample", `sk` to a time-ordered unique value.
 */
function itemToWrite(body, now = new Date()) {
  checkValue(body, 'body');
  const item = {
    ...body,
    pk: body.pk ?? 'sample',
    sk: body.sk ?? `${now.toISOString()}#${Math.random().toString(36).slice(2, 8)}`,
  };
  checkKey(item.pk, 'pk', PARTITION_KEY_MAX_BYTES);
  checkKey(item.sk, 'sk', SORT_KEY_MAX_BYTES);
  return item;
}

/** `{ pk, limit }` from the read route's query. */
function readQuery(params) {
  const pk = params.get('pk') ?? 'sample';
  checkKey(pk, 'pk', PARTITION_KEY_MAX_BYTES);
  const raw = params.get('limit');
  const limit = raw === null ? DEFAULT_READ_LIMIT : Number(raw);
  if (raw === '' || !Number.isInteger(limit) || limit < 1 || limit > MAX_READ_LIMIT) {
    throw new InvalidInput(`limit must be an integer from 1 to ${MAX_READ_LIMIT}`);
  }
  return { pk, limit };
}

function checkKey(value, name, maxBytes) {
  if (typeof value !== 'string') throw new InvalidInput(`${name} must be a string`);
  if (value.length === 0) throw new InvalidInput(`${name} must not be empty`);
  if (!value.isWellFormed()) throw new InvalidInput(`${name} is not valid Unicode (a lone surrogate)`);
  if (Buffer.byteLength(value) > maxBytes) throw new InvalidInput(`${name} is longer than ${maxBytes} bytes (UTF-8)`);
}

/** Walks the value without recursion (a deeply nested body must not exhaust the stack). */
function checkValue(root, name) {
  const stack = [[root, 1, name]];
  while (stack.length > 0) {
    const [value, depth, where] = stack.pop();
    if (typeof value === 'string') {
      if (!value.isWellFormed()) throw new InvalidInput(`${where} is not valid Unicode (a lone surrogate)`);
    } else if (typeof value === 'number') {
      checkNumber(value, where);
    } else if (value !== null && typeof value === 'object') {
      if (depth > MAX_DEPTH) throw new InvalidInput(`body is nested deeper than ${MAX_DEPTH} levels`);
      if (Array.isArray(value)) {
        value.forEach((element, i) => stack.push([element, depth + 1, `${where}[${i}]`]));
      } else {
        for (const key of Object.keys(value)) {
          checkName(key);
          stack.push([value[key], depth + 1, `${where}.${key.slice(0, 50)}`]);
        }
      }
    }
  }
}

function checkName(key) {
  if (key.length === 0) throw new InvalidInput('attribute names must not be empty');
  if (!key.isWellFormed()) throw new InvalidInput('an attribute name is not valid Unicode (a lone surrogate)');
  if (RESERVED_NAMES.has(key)) throw new InvalidInput(`attribute name '${key}' is reserved`);
}

function checkNumber(n, where) {
  // Any JavaScript number above 2^53 is an integer; DynamoDB's own maximum (1e126) is beyond it.
  const magnitude = Math.abs(n);
  if (magnitude > MAX_INTEGER) throw new InvalidInput(`${where} is beyond ±${MAX_INTEGER}`);
  if (magnitude !== 0 && magnitude < MIN_MAGNITUDE) {
    throw new InvalidInput(`${where} is closer to 0 than DynamoDB's smallest number (1e-130)`);
  }
}

module.exports = { itemToWrite, readQuery, InvalidInput, MAX_DEPTH, RESERVED_NAMES };
