// Courier over a WebSocket: requests matched to replies by id, events to listeners.
// A request without a body goes as one text message (JSON); one with a body as one binary message holding a
// binary frame of PROTOCOL.md (u32 header length, u32 body length, JSON header, body). Replies come back the same
// way, so file chunks never pass through base64.
'use strict';

class CourierSocket {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.listeners = new Map();
    this.ws = null;
    this.retryMs = 500;
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  emit(type, value) {
    (this.listeners.get(type) || []).forEach((listener) => listener(value));
  }

  connect() {
    const ws = new WebSocket(this.url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.retryMs = 500;
      this.emit('open');
    };
    ws.onmessage = (event) => this.receive(event.data);
    ws.onclose = (event) => {
      for (const { reject } of this.pending.values()) reject(new Error('connection closed'));
      this.pending.clear();
      this.emit('close', event);
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 8000);
    };
  }

  get open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a request; resolves with the reply {header, body} or rejects with its error. */
  request(type, fields = {}, body = null) {
    if (!this.open) return Promise.reject(new Error('not connected'));
    const id = this.nextId++;
    const header = Object.assign({ type, id }, fields);
    const reply = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (body === null) {
      this.ws.send(JSON.stringify(header));
    } else {
      this.ws.send(CourierSocket.frame(header, body));
    }
    return reply;
  }

  /** A binary frame: u32 H | u32 B | header | body. */
  static frame(header, body) {
    const head = new TextEncoder().encode(JSON.stringify(header));
    const bytes = new Uint8Array(8 + head.length + body.byteLength);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, head.length);
    view.setUint32(4, body.byteLength);
    bytes.set(head, 8);
    bytes.set(new Uint8Array(body), 8 + head.length);
    return bytes;
  }

  receive(data) {
    let header;
    let body = new Uint8Array(0);
    if (typeof data === 'string') {
      header = JSON.parse(data);
    } else {
      const view = new DataView(data);
      const headerLength = view.getUint32(0);
      header = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 8, headerLength)));
      body = new Uint8Array(data, 8 + headerLength);
    }
    this.emit('message', header);
    if ('ok' in header && this.pending.has(header.id)) {
      const { resolve, reject } = this.pending.get(header.id);
      this.pending.delete(header.id);
      if (header.ok) {
        resolve({ header, body });
      } else {
        const error = new Error(header.error ? header.error.message : 'request failed');
        error.code = header.error ? header.error.code : 'error';
        reject(error);
      }
    } else if (!('ok' in header)) {
      this.emit(header.type, { header, body });
    }
  }
}

/** Lower-case hex SHA-256 of an ArrayBuffer (crypto.subtle: needs a secure context, which localhost is). */
async function sha256Hex(buffer) {
  const digest = await crypto.subtle.digest('SHA-256', buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

function formatBytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return value.toFixed(value < 10 ? 1 : 0) + ' ' + units[unit];
}
