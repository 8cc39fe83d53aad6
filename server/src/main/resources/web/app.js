// The built-in page: rooms, files and live server stats, all over one WebSocket (courier.js).
'use strict';

const $ = (id) => document.getElementById(id);
const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
const courier = new CourierSocket(`${scheme}//${location.host}/ws`);

const CHUNK_BYTES = 256 * 1024; // one file.put chunk: well under max-body-bytes
const UPLOAD_WINDOW = 4; // chunks in flight: the server writes them in order, so pipelining is safe
const DOWNLOAD_CHUNK_BYTES = 1024 * 1024;

function setStatus(state, text) {
  $('status').dataset.state = state;
  $('status-text').textContent = text;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// ---- rooms ------------------------------------------------------------------------------------------------

let joined = null; // {room, name} once room.join succeeded
let members = [];

function showMembers() {
  $('members').textContent = joined ? `${members.length} in ${joined.room}: ${members.join(', ')}` : '';
}

function logLine(className, who, text) {
  const log = $('chat-log');
  const hint = log.querySelector('.hint');
  if (hint) hint.remove();
  const item = element('li', className);
  if (who) item.appendChild(element('span', 'who', who));
  item.appendChild(document.createTextNode(text));
  log.appendChild(item);
  log.scrollTop = log.scrollHeight;
}

async function join(room, name) {
  if (joined && joined.room !== room) {
    await courier.request('room.leave', { room: joined.room }).catch(() => {});
  }
  const { header } = await courier.request('room.join', { room, name });
  joined = { room, name };
  members = header.members;
  showMembers();
  logLine('notice', null, `you joined ${room} as ${name}`);
  $('chat-input').disabled = false;
  $('chat-send').disabled = false;
  $('chat-input').focus();
}

$('join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  join($('room').value.trim(), $('name').value.trim())
    .catch((error) => logLine('notice', null, `could not join: ${error.message}`));
});

$('say-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('chat-input').value;
  if (!joined || text.trim() === '') return;
  $('chat-input').value = '';
  courier.request('room.say', { room: joined.room, text })
    .catch((error) => logLine('notice', null, `not sent: ${error.message}`));
});

courier.on('room.message', ({ header }) => {
  if (!joined || header.room !== joined.room) return;
  const mine = header.name === joined.name;
  logLine(mine ? 'mine' : 'theirs', mine ? null : header.name, header.text);
});
courier.on('room.joined', ({ header }) => {
  if (!joined || header.room !== joined.room) return;
  if (!members.includes(header.name)) members.push(header.name);
  showMembers();
  logLine('notice', null, `${header.name} joined`);
});
courier.on('room.left', ({ header }) => {
  if (!joined || header.room !== joined.room) return;
  members = members.filter((name) => name !== header.name);
  showMembers();
  logLine('notice', null, `${header.name} left`);
});

// ---- files ------------------------------------------------------------------------------------------------

function showProgress(done, total) {
  const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
  $('upload-progress').style.width = percent + '%';
  $('upload-progress').setAttribute('aria-valuenow', String(percent));
  $('upload-percent').textContent = percent + '%';
}

async function upload(file) {
  $('upload').hidden = false;
  $('receipt').hidden = true;
  $('upload-name').textContent = `${file.name} · ${formatBytes(file.size)}`;
  showProgress(0, file.size);
  const bytes = await file.arrayBuffer();
  const expected = await sha256Hex(bytes);
  const inFlight = [];
  let receipt = null;
  let offset = 0;
  do {
    const end = Math.min(offset + CHUNK_BYTES, bytes.byteLength);
    const last = end === bytes.byteLength;
    const fields = { name: file.name, offset, last };
    if (offset === 0) fields.sha256 = expected; // the server checks the whole file against it at the end
    const sent = courier.request('file.put', fields, bytes.slice(offset, end)).then(({ header }) => {
      showProgress(header.stored, bytes.byteLength);
      if (header.complete) receipt = header;
    });
    inFlight.push(sent);
    if (inFlight.length >= UPLOAD_WINDOW) await inFlight.shift();
    offset = end;
  } while (offset < bytes.byteLength);
  await Promise.all(inFlight);
  $('receipt-size').textContent = `${formatBytes(receipt.size)} (${receipt.size} bytes)`;
  $('receipt-sha').textContent = receipt.sha256;
  const matches = receipt.sha256 === expected;
  $('receipt-check').textContent = matches ? '✓ matches the SHA-256 computed in this browser'
    : `✗ this browser computed ${expected}`;
  $('receipt-check').className = matches ? 'good' : 'bad';
  $('receipt').hidden = false;
  refreshFiles();
}

function startUpload(file) {
  if (!file) return;
  upload(file).catch((error) => {
    $('receipt').hidden = false;
    $('receipt-check').textContent = `✗ upload failed: ${error.message}`;
    $('receipt-check').className = 'bad';
  });
}

$('file-input').addEventListener('change', () => {
  startUpload($('file-input').files[0]);
  $('file-input').value = '';
});
const drop = $('drop');
drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  startUpload(event.dataTransfer.files[0]);
});

async function refreshFiles() {
  const { header } = await courier.request('file.list');
  const body = $('files-table');
  body.replaceChildren();
  if (header.files.length === 0) {
    const row = element('tr');
    const cell = element('td', 'muted', 'no files yet');
    cell.colSpan = 4;
    row.appendChild(cell);
    body.appendChild(row);
  }
  for (const file of header.files) {
    const row = element('tr');
    row.dataset.name = file.name;
    const name = element('td', null, file.name);
    name.title = file.name;
    row.appendChild(name);
    row.appendChild(element('td', 'num', formatBytes(file.size)));
    row.appendChild(element('td', 'hide-narrow muted', shortTime(file.modified)));
    const action = element('td');
    const button = element('button', 'ghost', 'Download');
    button.dataset.download = file.name;
    button.addEventListener('click', () => download(file.name).catch((error) => {
      $('download-status').textContent = `download failed: ${error.message}`;
    }));
    action.appendChild(button);
    row.appendChild(action);
    body.appendChild(row);
  }
  $('files-used').textContent = `${formatBytes(header.used_bytes)} of ${formatBytes(header.max_files_bytes)}`;
}

function shortTime(epochMs) {
  const date = new Date(epochMs);
  const today = new Date().toDateString() === date.toDateString();
  return today ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { month: 'short', day: 'numeric' });
}

async function download(name) {
  const parts = [];
  let offset = 0;
  let last = false;
  while (!last) {
    // An empty body makes the request a binary message, so the chunk comes back raw, not in base64.
    const { header, body } = await courier.request('file.get', { name, offset, length: DOWNLOAD_CHUNK_BYTES },
      new ArrayBuffer(0));
    parts.push(body);
    offset += header.length;
    last = header.last;
    $('download-status').textContent = `downloading ${name}: ${formatBytes(offset)} of ${formatBytes(header.size)}`;
  }
  const blob = new Blob(parts);
  const hash = await sha256Hex(await blob.arrayBuffer());
  const link = element('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  $('download-status').textContent = `downloaded ${name}: ${formatBytes(blob.size)}, SHA-256 ${hash}`;
  $('download-status').dataset.sha256 = hash;
}

// ---- live stats -------------------------------------------------------------------------------------------

const samples = []; // {rate, lag}, one a second, the last minute
let previous = null;
let polls = 0;

function sum(object) {
  return Object.values(object || {}).reduce((a, b) => a + b, 0);
}

function formatUptime(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `up ${s} s`;
  if (s < 3600) return `up ${Math.floor(s / 60)} min`;
  return `up ${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

async function pollStats() {
  if (courier.open) {
    try {
      const { header } = await courier.request('stats');
      const now = performance.now();
      const total = header.messages.in + header.messages.out;
      const rate = previous ? (total - previous.total) / ((now - previous.at) / 1000) : 0;
      previous = { total, at: now };
      samples.push({ rate: Math.max(0, rate), lag: header.loop_lag_ms.last });
      if (samples.length > 60) samples.shift();
      $('stat-connections').textContent = header.connections.open;
      $('stat-rate').textContent = rate >= 100 ? Math.round(rate) : rate.toFixed(1);
      $('stat-lag').textContent = header.loop_lag_ms.last.toFixed(1);
      $('stat-errors').textContent = sum(header.errors);
      $('stats-uptime').textContent = formatUptime(header.uptime_ms);
      polls++;
      $('stats-polls').dataset.polls = String(polls);
      drawChart();
    } catch (error) {
      // reconnecting: the next poll tries again
    }
  }
  setTimeout(pollStats, 1000);
}

function drawChart() {
  const canvas = $('stats-chart');
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const style = getComputedStyle(document.documentElement);
  const pad = { left: 8, right: 8, top: 22, bottom: 8 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  g.strokeStyle = style.getPropertyValue('--line');
  g.lineWidth = 1;
  for (let i = 0; i <= 3; i++) {
    const y = pad.top + (plotH * i) / 3;
    g.beginPath();
    g.moveTo(pad.left, y);
    g.lineTo(width - pad.right, y);
    g.stroke();
  }
  const series = (key, color, fill) => {
    const max = Math.max(1, ...samples.map((s) => s[key]));
    const x = (i) => pad.left + (plotW * (i + 60 - samples.length)) / 59;
    const y = (v) => pad.top + plotH - (plotH * v) / max;
    g.beginPath();
    samples.forEach((s, i) => (i === 0 ? g.moveTo(x(i), y(s[key])) : g.lineTo(x(i), y(s[key]))));
    g.strokeStyle = color;
    g.lineWidth = 2;
    g.lineJoin = 'round';
    g.stroke();
    if (fill && samples.length > 1) {
      g.lineTo(x(samples.length - 1), pad.top + plotH);
      g.lineTo(x(0), pad.top + plotH);
      g.closePath();
      g.globalAlpha = 0.12;
      g.fillStyle = color;
      g.fill();
      g.globalAlpha = 1;
    }
    return max;
  };
  const rateMax = series('rate', style.getPropertyValue('--accent').trim(), true);
  const lagMax = series('lag', style.getPropertyValue('--lag').trim(), false);
  g.fillStyle = style.getPropertyValue('--muted');
  g.font = '11px system-ui, sans-serif';
  g.textAlign = 'left';
  g.fillText(`${Math.round(rateMax)} msg/s`, pad.left, 14);
  g.textAlign = 'right';
  g.fillText(`${lagMax.toFixed(1)} ms · last 60 s`, width - pad.right, 14);
}

// ---- connection and sign-in ------------------------------------------------------------------------------

// A server with users (--users) serves only ping, types and auth until a token is accepted; the token is kept
// for this tab only, so a reconnect signs in again by itself.
courier.on('message', (header) => {
  if (header.ok === false && header.error && header.error.code === 'unauthorized' && header.type !== 'auth') {
    $('auth-form').hidden = false;
  }
});

async function signIn(token) {
  const { header } = await courier.request('auth', { token });
  sessionStorage.setItem('courier-token', token);
  $('auth-form').hidden = true;
  $('auth-error').textContent = '';
  setStatus('open', `${header.user} on ${location.host}`);
  resume();
}

$('auth-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('token').value).catch((error) => { $('auth-error').textContent = error.message; });
});

function resume() {
  refreshFiles().catch(() => {});
  if (joined) {
    const { room, name } = joined;
    joined = null;
    join(room, name).catch(() => {});
  }
}

courier.on('open', () => {
  setStatus('open', `connected to ${location.host}`);
  const token = sessionStorage.getItem('courier-token');
  if (token) {
    signIn(token).catch(() => sessionStorage.removeItem('courier-token'));
  } else {
    resume();
  }
});
courier.on('close', () => {
  setStatus('closed', 'disconnected, retrying');
  $('chat-input').disabled = true;
  $('chat-send').disabled = true;
});
courier.on('server.closing', () => logLine('notice', null, 'the server is shutting down'));

$('name').value = 'guest-' + Math.floor(Math.random() * 9000 + 1000);
courier.connect();
pollStats();
window.addEventListener('resize', drawChart);
