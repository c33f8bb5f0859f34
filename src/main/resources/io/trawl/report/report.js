// trawl report: draws the data embedded in this file. Every value from the crawl goes into the page
// with textContent, never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);

  function number(n) { return n == null ? '–' : Math.round(n).toLocaleString('en-US'); }
  function decimal(n) { return n == null ? '–' : (n < 10 ? Number(n).toFixed(1) : number(n)); }
  function percent(part, whole) { return whole ? (100 * part / whole).toFixed(1) + ' %' : '–'; }
  function bytes(n) {
    if (n == null) { return '–'; }
    var units = ['B', 'KB', 'MB', 'GB', 'TB'], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }
  function duration(ms) {
    if (ms == null) { return '–'; }
    var s = Math.round(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
  }
  function when(iso) { return iso ? iso.replace('T', ' ').substring(0, 19) + ' UTC' : '–'; }
  function text(id, value) { document.getElementById(id).textContent = value; }
  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value == null ? '–' : value;
    if (cls) { td.className = cls; }
    row.appendChild(td);
    return td;
  }
  function table(id, rows, columns) {
    var body = document.getElementById(id);
    if (rows.length === 0) {
      var row = document.createElement('tr');
      var td = cell(row, 'none', 'empty');
      td.colSpan = body.parentNode.querySelectorAll('th').length;
      body.appendChild(row);
      return;
    }
    rows.forEach(function (r) {
      var row = document.createElement('tr');
      columns.forEach(function (c) { cell(row, c[0](r), c[1]); });
      body.appendChild(row);
    });
  }
  function width(id) { return Math.max(300, document.getElementById(id).clientWidth || 600); }

  function bars(id, labels, values, color) {
    var xs = labels.map(function (_, i) { return i; });
    return new uPlot({
      width: width(id), height: 220,
      scales: { x: { time: false, range: [-0.6, Math.max(0.6, labels.length - 0.4)] } },
      axes: [{ values: function (u, splits) { return splits.map(function (v) { return labels[v] == null ? '' : labels[v]; }); },
               splits: function () { return xs; }, grid: { show: false } }, { size: 70 }],
      series: [{}, { label: 'pages', stroke: color, fill: color, paths: uPlot.paths.bars({ size: [0.7, 60] }),
                     points: { show: false } }],
      legend: { show: false }
    }, [xs, values], document.getElementById(id));
  }

  // Tiles
  var t = data.totals || {};
  text('total-pages', number(t.pages));
  text('total-failed', number(t.failed));
  text('total-hosts', number((data.hosts || {}).count));
  text('total-links', number(t.links));
  text('total-items', number(t.items));
  text('total-bytes', bytes(t.bytes));
  text('total-queued', number(t.queued));
  text('total-avg-ms', number(t.avg_ms));
  text('generated', data.generatedAt || '');

  table('runs', data.crawls || [], [
    [function (r) { return r.id; }], [function (r) { return when(r.startedAt); }],
    [function (r) { return when(r.finishedAt); }], [function (r) { return r.outcome || 'running or killed'; }],
    [function (r) { return number(r.stored); }, 'num'], [function (r) { return number(r.failed); }, 'num'],
    [function (r) { return decimal(r.pagesPerSecond); }, 'num'], [function (r) { return duration(r.elapsedMs); }, 'num']]);

  // Throughput
  var tp = data.throughput || { t: [], pages: [], errors: [] };
  if (tp.bucketSeconds > 1) {
    text('throughput-title', 'Throughput over the crawl\'s time (pages/s, mean of each ' + tp.bucketSeconds + ' s)');
  }
  new uPlot({
    width: width('chart-throughput'), height: 240,
    scales: { x: { time: true } },
    axes: [{}, { size: 70 }],
    series: [{}, { label: 'pages/s', stroke: '#2563eb', fill: 'rgba(37,99,235,0.12)', width: 2 },
             { label: 'errors/s', stroke: '#c0392b', width: 1.5 }]
  }, [tp.t, tp.pages, tp.errors], document.getElementById('chart-throughput'));

  // Status
  var statuses = (data.statuses || []).slice().sort(function (a, b) {
    return (a.status == null ? 1e9 : a.status) - (b.status == null ? 1e9 : b.status);
  });
  bars('chart-status', statuses.map(function (s) { return s.status == null ? 'none' : String(s.status); }),
       statuses.map(function (s) { return s.pages; }), '#16a34a');
  table('statuses', statuses, [[function (r) { return r.status == null ? 'no response' : r.status; }],
                               [function (r) { return number(r.pages); }, 'num']]);
  table('errors', data.errors || [], [[function (r) { return r.error; }],
                                      [function (r) { return number(r.pages); }, 'num'],
                                      [function (r) { return percent(r.pages, t.pages); }, 'num']]);

  // Depth
  var depths = data.depths || [];
  bars('chart-depth', depths.map(function (d) { return String(d.depth); }), depths.map(function (d) { return d.pages; }), '#7c3aed');

  // Hosts
  var hosts = data.hosts || {};
  table('slowest', hosts.slowest || [], [[function (r) { return r.host; }, 'url'], [function (r) { return number(r.pages); }, 'num'],
                                         [function (r) { return number(r.avgMs); }, 'num'], [function (r) { return number(r.maxMs); }, 'num']]);
  table('failing', hosts.failing || [], [[function (r) { return r.host; }, 'url'], [function (r) { return number(r.pages); }, 'num'],
                                         [function (r) { return number(r.errors); }, 'num'],
                                         [function (r) { return percent(r.errors, r.pages); }, 'num']]);

  // Rules
  var rules = document.getElementById('rules');
  (data.rules || []).forEach(function (r) {
    var row = document.createElement('tr');
    cell(row, r.rule);
    cell(row, number(r.items), 'num');
    var sample = document.createElement('td');
    r.samples.forEach(function (s) {
      var pre = document.createElement('pre');
      var shown;
      try { shown = JSON.stringify(JSON.parse(s.data), null, 1); } catch (e) { shown = s.data; }
      pre.textContent = s.pageUrl + '\n' + shown;
      sample.appendChild(pre);
    });
    row.appendChild(sample);
    rules.appendChild(row);
  });
  if (!(data.rules || []).length) { table('rules', [], []); }

  // Downloads
  var d = data.downloads, box = document.getElementById('downloads');
  if (!d || !d.urls) {
    box.textContent = 'No downloads.';
    box.className = 'empty';
  } else {
    var p = document.createElement('p');
    p.id = 'downloads-summary';
    p.textContent = number(d.urls) + ' URLs saved as ' + number(d.files) + ' files, ' + bytes(d.bytes) + '.';
    box.appendChild(p);
    var tbl = document.createElement('table');
    tbl.innerHTML = '<thead><tr><th>content type</th><th class="num">URLs</th><th class="num">bytes</th></tr></thead><tbody id="download-types"></tbody>';
    box.appendChild(tbl);
    table('download-types', d.byType || [], [[function (r) { return r.content_type; }],
                                              [function (r) { return number(r.urls); }, 'num'],
                                              [function (r) { return bytes(r.bytes); }, 'num']]);
  }
  document.body.setAttribute('data-drawn', 'true');
})();
