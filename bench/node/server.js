#!/usr/bin/env node
'use strict';

// A minimal Node ws server with the LISTEN.moe gateway's load-bearing behaviour (welcome, op 10 for op 9, and
// POST /broadcast sending {"text": "...", "count": n} n times to every connection): one side of bench/frame-path.sh's comparison.
const http = require('http');
const { WebSocketServer } = require('ws');

const port = Number(process.argv[2] || 0);
const welcome = JSON.stringify({ op: 0, d: { message: 'Welcome to LISTEN.moe! Enjoy your stay!', user: null, heartbeat: 1000 } });
const ack = '{"op":10}';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString());
    const count = body.count || 1;
    const data = Buffer.from(body.text); // encoded once, as the other two servers do
    let sent = 0;
    for (const client of wss.clients) {
      if (client.readyState === 1) {
        for (let i = 0; i < count; i++) client.send(data, { binary: false });
        sent += count;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sent }));
  });
});
const wss = new WebSocketServer({ server, path: '/gateway_v2' });
wss.on('connection', (socket) => {
  socket.send(welcome);
  socket.on('message', (data) => {
    if (data.toString().includes('"op":9')) socket.send(ack);
  });
  socket.on('error', () => {});
});
server.listen(port, '127.0.0.1', () => {
  console.log(`gateway ws://127.0.0.1:${server.address().port}/gateway_v2`);
  console.log('ready');
});
