// The live dashboard: the frames kept so far from /frames, then one a second from /events (SSE).
// Every value is written with textContent: URLs and error words are the crawled sites' text.
(function () {
  'use strict';
  var MAX_POINTS = 900;
  var frames = [];
  var charts = {};
  var errorKinds = [];
  var COLORS = ['#c0392b', '#8e44ad', '#d35400', '#16a085', '#2c3e50', '#7f8c8d', '#f39c12', '#27ae60', '#2980b9', '#e84393'];

  function number(n) { return n == null ? '–' : Math.round(n).toLocaleString('en-US'); }
  function rate(n) { return n == null ? '–' : (n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')); }
  function duration(ms) {
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
  }
  function text(id, value) { document.getElementById(id).textContent = value; }
  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }

  function width(el) { return Math.max(300, el.clientWidth || 500); }

  function chart(id, series, scales) {
    var el = document.getElementById(id);
    var opts = {
      width: width(el), height: 220,
      series: [{}].concat(series),
      scales: scales || { x: { time: true } },
      axes: [{}, { size: 70 }].concat(scales && scales.right ? [{ scale: 'right', side: 1, size: 60, grid: { show: false } }] : []),
      legend: { live: false }
    };
    var data = [[]].concat(series.map(function () { return []; }));
    el.textContent = '';
    return new uPlot(opts, data, el);
  }

  function makeErrorChart() {
    var series = errorKinds.map(function (kind, i) {
      return { label: kind, stroke: COLORS[i % COLORS.length], width: 1.5 };
    });
    if (series.length === 0) { series = [{ label: 'no errors yet', stroke: '#bbb' }]; }
    charts.errors = chart('chart-errors', series);
  }

  function setup() {
    charts.rate = chart('chart-rate', [{ label: 'pages/s', stroke: '#2563eb', fill: 'rgba(37,99,235,0.12)', width: 2 }]);
    charts.queue = chart('chart-queue', [
      { label: 'queued', stroke: '#6b7280', width: 1.5, scale: 'right' },
      { label: 'in flight', stroke: '#16a34a', width: 1.5 },
      { label: 'storing', stroke: '#d97706', width: 1.5 }
    ], { x: { time: true }, right: {} });
    makeErrorChart();
  }

  function redraw() {
    var xs = frames.map(function (f) { return f.t / 1000; });
    charts.rate.setData([xs, frames.map(function (f) { return f.pagesPerSecond; })]);
    charts.queue.setData([xs, frames.map(function (f) { return f.queued; }), frames.map(function (f) { return f.inFlight; }),
      frames.map(function (f) { return f.storing; })]);
    var kinds = {};
    frames.forEach(function (f) { Object.keys(f.errors || {}).forEach(function (k) { kinds[k] = true; }); });
    var sorted = Object.keys(kinds).sort();
    if (sorted.join() !== errorKinds.join()) { errorKinds = sorted; makeErrorChart(); }
    var errorData = [xs];
    if (errorKinds.length === 0) { errorData.push(frames.map(function () { return 0; })); }
    errorKinds.forEach(function (k) { errorData.push(frames.map(function (f) { return (f.errors || {})[k] || 0; })); });
    charts.errors.setData(errorData);
  }

  function tables(f) {
    var hosts = document.getElementById('hosts-table');
    hosts.textContent = '';
    (f.hosts || []).forEach(function (h) {
      var row = document.createElement('tr');
      cell(row, h.host);
      cell(row, number(h.done), 'num');
      cell(row, rate(h.pagesPerSecond), 'num');
      cell(row, number(h.inFlight), 'num');
      cell(row, number(h.queued), 'num');
      cell(row, h.intervalMs > 0 ? rate(1000 / h.intervalMs) + '/s' : '–', 'num');
      cell(row, h.state.replace(/_/g, ' ') + (h.pausedForMs > 0 ? ' (' + duration(h.pausedForMs) + ')' : ''), h.state);
      hosts.appendChild(row);
    });
    var failures = document.getElementById('failures-table');
    failures.textContent = '';
    (f.failures || []).forEach(function (x) {
      var row = document.createElement('tr');
      cell(row, new Date(x.at).toISOString().substring(11, 19));
      cell(row, x.error);
      cell(row, x.status == null ? '–' : String(x.status), 'num');
      cell(row, x.url, 'url');
      failures.appendChild(row);
    });
  }

  function show() {
    if (frames.length === 0) { return; }
    var f = frames[frames.length - 1];
    text('stored', number(f.stored));
    text('rate', rate(f.pagesPerSecond));
    text('failed', number(f.failed));
    text('queued', number(f.queued));
    text('inflight', number(f.inFlight));
    text('storing', number(f.storing));
    text('hosts', number(f.hostsActive) + ' / ' + number(f.hostsSeen));
    text('paused', number(f.hostsPaused));
    text('retries', number(f.retries));
    text('elapsed', duration(f.elapsedMs));
    text('state', f.stopReason ? 'finished: ' + f.stopReason : 'running');
    document.body.setAttribute('data-stored', String(f.stored));
    tables(f);
    redraw();
  }

  function add(f) {
    if (frames.length && f.t <= frames[frames.length - 1].t) { return; }
    frames.push(f);
    if (frames.length > MAX_POINTS) { frames.shift(); }
  }

  setup();
  var early = [];
  var loaded = false;
  var events = new EventSource('/events');
  events.addEventListener('frame', function (e) {
    var f = JSON.parse(e.data);
    if (loaded) { add(f); show(); } else { early.push(f); }
  });
  events.onerror = function () {
    var last = frames[frames.length - 1];
    if (!(last && last.stopReason)) { text('state', 'connection lost (the crawl may have ended); retrying'); }
  };
  events.onopen = function () { if (frames.length) { show(); } };
  fetch('/frames').then(function (r) { return r.json(); }).then(function (history) {
    history.forEach(add);
    early.forEach(add);
    loaded = true;
    show();
  });
  window.addEventListener('resize', function () {
    Object.keys(charts).forEach(function (k) {
      var el = charts[k].root.parentNode;
      charts[k].setSize({ width: width(el), height: 220 });
    });
  });
})();
