'use strict';
// The reference Go server's program in node:http, for the sample server benchmark: every path
// answers the same page, and every request writes the same fixed line to stdout. It shows what
// node:http itself reaches against Go on the machine, without the sample's routing, hardening
// headers, JSON access log or supervisor.
const http = require('node:http');
const fs = require('node:fs');

const PAGE = '<html><head><title>Hello</title></head><body><h1>World</h1></body><html>';

http.createServer((_req, res) => {
  fs.writeSync(1, 'Incoming request\n');
  res.writeHead(200, ['content-type', 'text/html; charset=utf-8']);
  res.end(PAGE);
}).listen(Number(process.env.PORT));
