#!/usr/bin/env node
'use strict';

// A small LISTEN.moe gateway bot, the kind of client a user brings to Conformance: it connects to the gateway,
// keeps the heartbeat the welcome advertises, prints each track, and reconnects with a growing delay.
// The harness hands it the mock's address in CONFORMANCE_URL; against the real service it uses wss://listen.moe.

const WebSocket = require('ws');

const url = process.env.CONFORMANCE_URL || 'wss://listen.moe/gateway_v2';
let delay = 250; // reconnect delay, doubled after each failed attempt up to 4 s
let stopping = false;
let current = null; // the socket of the latest attempt

function connect() {
  const socket = new WebSocket(url);
  current = socket;
  let heartbeat = null;

  socket.on('open', () => { delay = 250; });
  socket.on('message', (data, isBinary) => {
    if (isBinary) return;
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      return; // not JSON: ignore it and stay connected
    }
    if (message === null || typeof message !== 'object') return;
    if (message.op === 0 && message.d && Number.isFinite(message.d.heartbeat)) {
      clearInterval(heartbeat);
      heartbeat = setInterval(() => send(socket, { op: 9 }), message.d.heartbeat);
    } else if (message.op === 1 && message.d && message.d.song) {
      const song = message.d.song;
      const artists = Array.isArray(song.artists) ? song.artists.map((a) => a && a.name).filter(Boolean) : [];
      console.log(`now playing: ${song.title || '(untitled)'}${artists.length ? ' by ' + artists.join(', ') : ''}`);
    }
    // other ops and events are not this bot's business
  });
  socket.on('error', () => {}); // the close event follows
  socket.on('close', () => {
    clearInterval(heartbeat);
    if (stopping) return;
    setTimeout(connect, delay);
    delay = Math.min(delay * 2, 4000);
  });
}

function send(socket, message) {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

connect();
process.on('SIGTERM', () => {
  stopping = true;
  current.close(1000);
  setTimeout(() => process.exit(0), 500).unref();
});
