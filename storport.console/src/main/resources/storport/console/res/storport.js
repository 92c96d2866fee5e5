/*
 * storport console page: the processor -> message heatmap of one adapter, drawn on a canvas,
 * kept live by polling api/version. Plain JavaScript, no libraries, nothing fetched from elsewhere.
 *
 * What is drawn is also published as window.storportMap (processor -> message, cell rectangles,
 * colours), so tests and scripts read exactly what the canvas shows.
 */
(function () {
  'use strict';

  var root = document.getElementById('storport');
  if (!root) {
    return;
  }
  var base = root.getAttribute('data-root');
  var csrf = root.getAttribute('data-csrf');
  webConsoleHeader();
  var POLL_MS = 300;
  var NO_MESSAGE = '#9ca3af';

  var el = function (id) { return document.getElementById(id); };
  var canvas = el('sp-heatmap');
  var ctx = canvas.getContext('2d');

  var state = {
    version: null,
    wanted: null,          // the adapter name the user chose (id or alias); kept across backend switches
    backends: null,
    adapters: [],
    adapter: null,         // the adapters entry shown
    map: null,
    messages: null,
    selectedProcessor: null,
    selectedMessage: null,
    layout: null,
    loading: false,
    again: false,
    stopped: false,
    draws: 0,
    backendChoice: null,
    findings: null,        // api/findings: every adapter's
    selectedFinding: null, // index into the shown adapter's findings
    events: null,
    colourBy: 'message',   // or 'rates': interrupts per second, live
    rates: null,           // api/rates/ADAPTER, the last answer
    ratesPerIndex: null,   // interrupts per second by processor index
    maxRate: 0,
    ratesTimer: null
  };
  var RATES_MS = 1000;

  // ---------------------------------------------------------------- data

  function api(path, options) {
    var opts = options || {};
    var headers = { 'Accept': 'application/json' };
    if (opts.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['X-Storport-CSRF'] = csrf;
    }
    return fetch(base + '/api/' + path, {
      method: opts.method || 'GET',
      headers: headers,
      body: opts.body,
      credentials: 'same-origin',
      cache: 'no-store'
    }).then(function (r) {
      var token = r.headers.get('X-Storport-CSRF');
      if (token) {
        csrf = token;
      }
      if (r.status === 401) {
        loggedOut();
        throw new Error('logged out');
      }
      return r.json().then(function (body) {
        return { ok: r.ok, status: r.status, body: body };
      });
    });
  }

  function refresh() {
    if (state.loading) {
      state.again = true;
      return Promise.resolve();
    }
    state.loading = true;
    var version;
    return api('version').then(function (v) {
      version = v.body.version;
      return Promise.all([api('backend'), api('adapters'), api('findings'), api('events')]);
    }).then(function (r) {
      state.backends = r[0].ok ? r[0].body : null;
      state.adapters = r[1].ok ? r[1].body.adapters : [];
      state.findings = r[2].ok ? r[2].body : null;
      state.events = r[3].ok ? r[3].body : null;
      state.adapter = pickAdapter(state.adapters, state.wanted);
      if (!state.adapter) {
        return [null, null];
      }
      var id = encodeURIComponent(state.adapter.id);
      return Promise.all([api('map/' + id), api('messages/' + id)]);
    }).then(function (r) {
      state.map = r[0] && r[0].ok ? r[0].body : null;
      state.messages = r[1] && r[1].ok ? r[1].body : null;
      if (state.map && state.messages && state.map.backend !== state.messages.backend) {
        state.again = true; // the backend changed between the two calls: read again
      }
      state.version = version;
      render();
    }).catch(function (e) {
      if (!state.stopped) {
        el('sp-live').textContent = 'cannot reach storport: ' + e.message;
      }
    }).finally(function () {
      state.loading = false;
      if (state.again) {
        state.again = false;
        refresh();
      }
    });
  }

  function pickAdapter(adapters, wanted) {
    if (!adapters.length) {
      return null;
    }
    if (wanted) {
      for (var i = 0; i < adapters.length; i++) {
        if (adapters[i].id === wanted || adapters[i].aliases.indexOf(wanted) >= 0) {
          return adapters[i];
        }
      }
    }
    return adapters[0];
  }

  function poll() {
    if (state.stopped) {
      return;
    }
    api('version').then(function (v) {
      if (v.ok && v.body.version !== state.version) {
        return refresh();
      }
    }).catch(function () { /* shown by refresh; try again */ }).finally(function () {
      if (!state.stopped) {
        setTimeout(poll, POLL_MS);
      }
    });
  }

  function loggedOut() {
    if (state.stopped) {
      return;
    }
    state.stopped = true;
    el('sp-live').innerHTML = '';
    var a = document.createElement('a');
    a.href = window.location.pathname;
    a.textContent = 'Your session has ended: log in again';
    el('sp-live').appendChild(a);
  }

  // ---------------------------------------------------------------- colours

  /** A message's colour: hues a golden angle apart, so neighbouring messages differ. */
  function colour(message) {
    if (message === null || message === undefined) {
      return NO_MESSAGE;
    }
    var h = (message * 137.508) % 360;
    return hsl(h, 0.62, message % 2 === 0 ? 0.46 : 0.56);
  }

  function hsl(h, s, l) {
    var c = (1 - Math.abs(2 * l - 1)) * s;
    var x = c * (1 - Math.abs((h / 60) % 2 - 1));
    var m = l - c / 2;
    var rgb = h < 60 ? [c, x, 0] : h < 120 ? [x, c, 0] : h < 180 ? [0, c, x] : h < 240 ? [0, x, c] : h < 300 ? [x, 0, c] : [c, 0, x];
    return '#' + rgb.map(function (v) {
      var n = Math.round((v + m) * 255);
      return (n < 16 ? '0' : '') + n.toString(16);
    }).join('');
  }

  /** The colour mixed with white: what a processor outside the highlighted message looks like. */
  function faded(hex) {
    var n = parseInt(hex.slice(1), 16);
    var mix = function (v) { return Math.round(v + (255 - v) * 0.78); };
    var r = mix((n >> 16) & 255), g = mix((n >> 8) & 255), b = mix(n & 255);
    return '#' + [r, g, b].map(function (v) { return (v < 16 ? '0' : '') + v.toString(16); }).join('');
  }

  // ---------------------------------------------------------------- layout and drawing

  /**
   * Processors in blocks: one box per processor group, inside it one block per NUMA node, cells in
   * rows by processor number. Boxes flow left to right and wrap.
   */
  function layout(processors, width) {
    var n = processors.length;
    var cell = n <= 128 ? 22 : n <= 512 ? 15 : n <= 2048 ? 10 : 8;
    var gap = 1, pad = 8, label = 14, margin = 10;
    var groups = [];
    var byKey = {};
    processors.forEach(function (p) {
      var g = byKey['g' + p.group];
      if (!g) {
        g = byKey['g' + p.group] = { group: p.group, nodes: [], byNode: {} };
        groups.push(g);
      }
      var b = g.byNode[p.node];
      if (!b) {
        b = g.byNode[p.node] = { node: p.node, processors: [] };
        g.nodes.push(b);
      }
      b.processors.push(p);
    });
    var rects = {};
    var boxes = [];
    var x = margin, y = margin, rowHeight = 0;
    groups.forEach(function (g) {
      var w = pad, h = 0;
      g.nodes.forEach(function (b) {
        b.processors.sort(function (a, c) { return a.number - c.number; });
        b.cols = Math.max(4, Math.ceil(Math.sqrt(b.processors.length * 2.5)));
        b.rows = Math.ceil(b.processors.length / b.cols);
        b.w = b.cols * (cell + gap) - gap;
        b.h = label + b.rows * (cell + gap) - gap;
        w += b.w + pad;
        h = Math.max(h, b.h);
      });
      var boxW = Math.max(w, 90), boxH = label + pad + h + pad;
      if (x > margin && x + boxW > width - margin) {
        x = margin;
        y += rowHeight + margin;
        rowHeight = 0;
      }
      var box = { group: g.group, x: x, y: y, w: boxW, h: boxH, blocks: [] };
      var bx = x + pad;
      g.nodes.forEach(function (b) {
        var by = y + label + pad;
        box.blocks.push({ node: b.node, x: bx, y: by });
        b.processors.forEach(function (p, i) {
          rects[p.index] = {
            x: bx + (i % b.cols) * (cell + gap),
            y: by + label + Math.floor(i / b.cols) * (cell + gap),
            w: cell,
            h: cell
          };
        });
        bx += b.w + pad;
      });
      boxes.push(box);
      x += boxW + margin;
      rowHeight = Math.max(rowHeight, boxH);
    });
    return { cell: cell, boxes: boxes, rects: rects, width: width, height: y + rowHeight + margin };
  }

  function draw() {
    var map = state.map;
    var width = Math.max(480, Math.min(1400, (canvas.parentNode.clientWidth || 960) - 4));
    if (!map) {
      canvas.width = width;
      canvas.height = 40;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      publish();
      return;
    }
    var lay = layout(map.processors, width);
    state.layout = lay;
    var scale = window.devicePixelRatio || 1;
    canvas.width = Math.round(lay.width * scale);
    canvas.height = Math.round(lay.height * scale);
    canvas.style.width = lay.width + 'px';
    canvas.style.height = lay.height + 'px';
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, lay.width, lay.height);
    ctx.textBaseline = 'top';
    lay.boxes.forEach(function (box) {
      ctx.strokeStyle = '#9aa3b2';
      ctx.lineWidth = 1;
      ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1);
      ctx.fillStyle = '#1f2937';
      ctx.font = 'bold 11px sans-serif';
      ctx.fillText('group ' + box.group, box.x + 6, box.y + 4);
      ctx.font = '10px sans-serif';
      ctx.fillStyle = '#4b5563';
      box.blocks.forEach(function (b) {
        ctx.fillText('node ' + b.node, b.x, b.y);
      });
    });
    var highlight = selectedTargets();
    map.processors.forEach(function (p) {
      var r = lay.rects[p.index];
      var c = cellColour(p);
      ctx.fillStyle = highlight && !highlight[p.index] ? faded(c) : c;
      ctx.fillRect(r.x, r.y, r.w, r.h);
    });
    if (highlight) {
      ctx.strokeStyle = '#111827';
      ctx.lineWidth = 1;
      Object.keys(highlight).forEach(function (i) {
        var r = lay.rects[i];
        if (r) {
          ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
        }
      });
    }
    if (state.selectedProcessor !== null && lay.rects[state.selectedProcessor]) {
      var s = lay.rects[state.selectedProcessor];
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 2;
      ctx.strokeRect(s.x - 1, s.y - 1, s.w + 2, s.h + 2);
    }
    state.draws++;
    publish();
  }

  /** What a processor's cell shows: its message's colour, or in rates mode its interrupts per second. */
  function cellColour(p) {
    if (state.colourBy === 'rates') {
      return rateColour(state.ratesPerIndex ? state.ratesPerIndex[p.index] || 0 : 0, state.maxRate);
    }
    return colour(p.message);
  }

  /** Interrupts per second on a scale from pale grey (none) to dark red (the busiest processor). */
  function rateColour(rate, max) {
    var t = max > 0 ? Math.min(1, rate / max) : 0;
    var from = [243, 244, 246], to = [153, 27, 27];
    return '#' + from.map(function (f, i) {
      var v = Math.round(f + (to[i] - f) * t);
      return (v < 16 ? '0' : '') + v.toString(16);
    }).join('');
  }

  /** The findings of the adapter shown. */
  function adapterFindings() {
    if (!state.findings || !state.adapter) {
      return [];
    }
    var id = state.adapter.id;
    return state.findings.findings.filter(function (f) { return f.adapter === id; });
  }

  /**
   * The processors to highlight, as a set of indexes, or null: the selected finding's processors
   * (its messages' targets when it names none), else the selected message's targets.
   */
  function selectedTargets() {
    var set = {};
    if (state.selectedFinding !== null) {
      var f = adapterFindings()[state.selectedFinding];
      if (f) {
        if (f.processors.length) {
          f.processors.forEach(function (i) { set[i] = true; });
        } else {
          f.messages.forEach(function (id) {
            var fm = findMessage(id);
            (fm ? fm.processors : []).forEach(function (i) { set[i] = true; });
          });
        }
        return set;
      }
    }
    if (state.selectedMessage === null || !state.messages) {
      return null;
    }
    var m = findMessage(state.selectedMessage);
    if (!m) {
      return null;
    }
    m.processors.forEach(function (i) { set[i] = true; });
    return set;
  }

  function findMessage(id) {
    if (!state.messages) {
      return null;
    }
    var list = state.messages.messages;
    return list[id] && list[id].id === id ? list[id] : list.find(function (m) { return m.id === id; }) || null;
  }

  /** window.storportMap: exactly what the canvas shows. */
  function publish() {
    var map = state.map;
    var lay = state.layout;
    var colours = {};
    var processors = [];
    if (map && lay) {
      map.processors.forEach(function (p) {
        var r = lay.rects[p.index];
        processors.push({ index: p.index, group: p.group, number: p.number, node: p.node, message: p.message,
          x: r.x, y: r.y, w: r.w, h: r.h });
      });
      map.messages.forEach(function (m) { colours[m.id] = colour(m.id); });
    }
    var highlight = selectedTargets();
    window.storportMap = {
      ready: true,
      version: state.version,
      draws: state.draws,
      backend: map ? map.backend : (state.backends ? state.backends.active : null),
      adapter: map ? map.adapter : null,
      cell: lay ? lay.cell : 0,
      scale: window.devicePixelRatio || 1,
      processors: processors,
      colours: colours,
      noMessageColour: NO_MESSAGE,
      selectedProcessor: state.selectedProcessor,
      selectedMessage: state.selectedMessage,
      highlighted: highlight ? Object.keys(highlight).map(Number).sort(function (a, b) { return a - b; }) : [],
      colourOf: colour,
      fadedColourOf: function (m) { return faded(colour(m)); },
      mode: state.colourBy,
      rates: state.colourBy === 'rates' && state.ratesPerIndex ? processors.map(function (p) { return state.ratesPerIndex[p.index] || 0; }) : null,
      ratesSource: state.rates ? state.rates.source : null,
      maxRate: state.maxRate,
      rateColourOf: function (rate) { return rateColour(rate, state.maxRate); },
      findings: adapterFindings(),
      selectedFinding: state.selectedFinding
    };
    canvas.setAttribute('data-backend', window.storportMap.backend || '');
    canvas.setAttribute('data-adapter', window.storportMap.adapter || '');
    canvas.setAttribute('data-processors', String(processors.length));
    canvas.setAttribute('data-draws', String(state.draws));
  }

  // ---------------------------------------------------------------- the rest of the page

  function render() {
    renderBackends();
    renderAdapters();
    if (state.selectedProcessor !== null && (!state.map || state.selectedProcessor >= state.map.processors.length)) {
      state.selectedProcessor = null;
    }
    if (state.selectedMessage !== null && !findMessage(state.selectedMessage)) {
      state.selectedMessage = null;
    }
    if (state.selectedFinding !== null && state.selectedFinding >= adapterFindings().length) {
      state.selectedFinding = null;
    }
    renderTitle();
    renderFindings();
    renderEvents();
    renderMessages();
    draw();
    renderProcessorDetails();
    renderMessageDetails();
    el('sp-seed-adapter').textContent = state.adapter ? state.adapter.id : '-';
    el('sp-live').textContent = 'live, updated ' + new Date().toLocaleTimeString();
  }

  function renderBackends() {
    var b = state.backends;
    el('sp-backend').textContent = b ? (b.active || 'none') : '?';
    var select = el('sp-backend-select');
    // rebuilt only when the backends changed: a refresh must not pull the options from under a user choosing one
    var signature = JSON.stringify(b ? b.backends : []);
    if (select.getAttribute('data-signature') !== signature) {
      select.setAttribute('data-signature', signature);
      select.innerHTML = '';
    }
    (select.options.length ? [] : b ? b.backends : []).forEach(function (info) {
      var o = document.createElement('option');
      o.value = info.name;
      o.textContent = info.name + (info.active ? ' (active)' : info.available ? '' : ' (unavailable: ' + info.reason + ')');
      o.disabled = !info.available;
      select.appendChild(o);
    });
    var names = b ? b.backends.map(function (i) { return i.name; }) : [];
    // the active backend, unless the user has picked another one and not switched yet
    var touched = state.backendChoice;
    select.value = touched && names.indexOf(touched) >= 0 && touched !== (b && b.active) ? touched : (b ? b.active : '');
  }

  function renderAdapters() {
    var body = el('sp-adapters').tBodies[0];
    body.innerHTML = '';
    state.adapters.forEach(function (a) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-adapter', a.id);
      tr.tabIndex = 0;
      if (state.adapter && a.id === state.adapter.id) {
        tr.className = 'sp-selected';
      }
      [a.id, a.aliases.length ? a.aliases.join(', ') : '-', a.node === null ? '-' : a.node, a.messages,
        a.messages ? a.firstRedirection + '-' + a.lastRedirection : '-', a.policy || '-', a.driver || '-'].forEach(function (v) {
        var td = document.createElement('td');
        td.textContent = String(v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!state.adapters.length) {
      var tr = document.createElement('tr');
      var td = document.createElement('td');
      td.colSpan = 7;
      td.textContent = 'no adapters on this backend';
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function renderTitle() {
    var map = state.map;
    var empty = el('sp-empty');
    if (!map) {
      el('sp-map-title').textContent = '';
      empty.hidden = false;
      empty.textContent = state.backends && state.backends.active
        ? 'Backend ' + state.backends.active + ' has no adapters.' : 'No storport backend is registered.';
      return;
    }
    empty.hidden = true;
    var groups = {}, nodes = {};
    map.processors.forEach(function (p) { groups[p.group] = 1; nodes[p.node] = 1; });
    el('sp-map-title').textContent = map.adapter + ' on ' + map.backend + ': ' + count(map.processors.length, 'processor') + ' in '
      + count(Object.keys(groups).length, 'group') + ' and ' + count(Object.keys(nodes).length, 'NUMA node')
      + (state.colourBy === 'rates' ? ', coloured by interrupts per second' : ', coloured by the message that serves them');
  }

  function count(n, noun) {
    return n + ' ' + noun + (n === 1 ? '' : 's');
  }

  function renderMessages() {
    var box = el('sp-messages');
    box.innerHTML = '';
    if (!state.messages) {
      return;
    }
    var frag = document.createDocumentFragment();
    state.messages.messages.forEach(function (m) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sp-msg' + (m.processors.length ? '' : ' sp-msg-idle') + (m.id === state.selectedMessage ? ' sp-msg-selected' : '');
      b.setAttribute('data-message', String(m.id));
      b.title = (m.name || 'message ' + m.id) + ': ' + m.processors.length + ' processors';
      b.style.setProperty('--sp-colour', colour(m.id));
      b.textContent = String(m.id);
      frag.appendChild(b);
    });
    box.appendChild(frag);
  }

  function renderFindings() {
    var box = el('sp-findings');
    box.innerHTML = '';
    var mine = adapterFindings();
    var others = state.findings ? state.findings.findings.length - mine.length : 0;
    el('sp-findings-note').textContent = others ? '(' + others + ' more on other adapters: storport:check)' : '';
    if (!state.adapter) {
      return;
    }
    if (!mine.length) {
      box.textContent = 'No findings on ' + state.adapter.id + '.';
      return;
    }
    mine.forEach(function (f, i) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'sp-finding' + (i === state.selectedFinding ? ' sp-finding-selected' : '');
      b.setAttribute('data-finding', String(i));
      b.setAttribute('data-code', f.code);
      b.setAttribute('data-severity', f.severity);
      var head = document.createElement('div');
      head.className = 'sp-finding-head';
      head.textContent = f.severity + ' ' + f.code + (f.messages.length ? ' messages ' + ranges(f.messages) : '')
        + (f.processors.length ? ' processors ' + ranges(f.processors) : '');
      var text = document.createElement('div');
      text.textContent = f.text;
      b.appendChild(head);
      b.appendChild(text);
      box.appendChild(b);
    });
  }

  function renderEvents() {
    var list = el('sp-events');
    list.innerHTML = '';
    var events = state.events ? state.events.events : [];
    if (!events.length) {
      var none = document.createElement('li');
      none.className = 'sp-note';
      none.textContent = 'none yet';
      list.appendChild(none);
    }
    events.forEach(function (e) {
      var li = document.createElement('li');
      li.setAttribute('data-topic', e.topic);
      var t = document.createElement('time');
      t.dateTime = e.time;
      t.textContent = new Date(e.time).toLocaleTimeString();
      li.appendChild(t);
      li.appendChild(document.createTextNode(e.text));
      list.appendChild(li);
    });
  }

  /** In rates mode: the adapter's interrupts per second since the last poll, drawn on the heatmap. */
  function pollRates() {
    state.ratesTimer = null;
    if (state.stopped || state.colourBy !== 'rates' || !state.adapter) {
      return;
    }
    var id = state.adapter.id;
    api('rates/' + encodeURIComponent(id)).then(function (r) {
      if (state.colourBy !== 'rates' || !state.adapter || state.adapter.id !== id) {
        return;
      }
      var note = el('sp-rates-note');
      if (!r.ok) {
        state.rates = null;
        state.ratesPerIndex = null;
        state.maxRate = 0;
        note.textContent = r.body.error || 'no rates';
      } else {
        state.rates = r.body;
        var per = {}, max = 0, total = 0;
        r.body.messages.forEach(function (m) {
          m.cpus.forEach(function (c) {
            per[c.index] = (per[c.index] || 0) + c.count / r.body.seconds;
          });
          total += m.perSecond;
        });
        Object.keys(per).forEach(function (i) { max = Math.max(max, per[i]); });
        state.ratesPerIndex = per;
        state.maxRate = max;
        note.textContent = Math.round(total) + ' interrupts/s in all, at most ' + Math.round(max) + '/s on one processor ('
          + r.body.source + ', ' + r.body.seconds.toFixed(1) + ' s)';
      }
      draw();
    }).catch(function () { /* shown by refresh */ }).finally(function () {
      if (!state.stopped && state.colourBy === 'rates' && state.ratesTimer === null) {
        state.ratesTimer = setTimeout(pollRates, RATES_MS);
      }
    });
  }

  function renderProcessorDetails() {
    var box = el('sp-processor-details');
    var i = state.selectedProcessor;
    if (i === null || !state.map) {
      box.textContent = 'Select a processor on the map.';
      return;
    }
    var p = state.map.processors[i];
    box.innerHTML = '';
    box.appendChild(fields([
      ['Index', p.index, 'sp-proc-index'],
      ['Group:number', p.group + ':' + p.number, 'sp-proc-number'],
      ['NUMA node', p.node, 'sp-proc-node'],
      ['Message', p.message === null ? 'none (STOR_STATUS_UNSUCCESSFUL)' : p.message, 'sp-proc-message']
    ]));
  }

  function renderMessageDetails() {
    var box = el('sp-message-details');
    var m = state.selectedMessage === null ? null : findMessage(state.selectedMessage);
    if (!m) {
      box.textContent = 'Select a message below.';
      return;
    }
    box.innerHTML = '';
    box.appendChild(fields([
      ['Message', m.id, 'sp-msg-id'],
      ['Name', m.name || '-', 'sp-msg-name'],
      ['IRQ', m.irq === null ? '-' : m.irq, 'sp-msg-irq'],
      ['Affinity', m.targets.length ? m.targets.map(function (t) { return t.group + ':' + t.mask; }).join(', ') : '-', 'sp-msg-affinity'],
      ['Processors', ranges(m.processors), 'sp-msg-processors'],
      ['Effective', ranges(m.effective), 'sp-msg-effective'],
      ['Vector', m.vector, 'sp-msg-vector'],
      ['Address / data', m.address + ' / ' + m.data, 'sp-msg-address']
    ]));
  }

  function fields(rows) {
    var dl = document.createElement('dl');
    dl.className = 'sp-fields';
    rows.forEach(function (r) {
      var dt = document.createElement('dt');
      dt.textContent = r[0];
      var dd = document.createElement('dd');
      dd.id = r[2];
      dd.textContent = String(r[1]);
      dl.appendChild(dt);
      dl.appendChild(dd);
    });
    return dl;
  }

  function ranges(sorted) {
    if (!sorted.length) {
      return '-';
    }
    var out = [];
    for (var i = 0; i < sorted.length; i++) {
      var start = sorted[i], end = start;
      while (i + 1 < sorted.length && sorted[i + 1] === end + 1) {
        end = sorted[++i];
      }
      out.push(start === end ? String(start) : start + '-' + end);
    }
    return out.join(',');
  }

  // ---------------------------------------------------------------- interaction

  function processorAt(x, y) {
    var lay = state.layout;
    if (!lay) {
      return null;
    }
    for (var i in lay.rects) {
      var r = lay.rects[i];
      if (x >= r.x && x < r.x + r.w + 1 && y >= r.y && y < r.y + r.h + 1) {
        return Number(i);
      }
    }
    return null;
  }

  canvas.addEventListener('click', function (e) {
    var rect = canvas.getBoundingClientRect();
    var sx = state.layout && canvas.clientWidth ? state.layout.width / canvas.clientWidth : 1;
    var sy = state.layout && canvas.clientHeight ? state.layout.height / canvas.clientHeight : 1;
    var x = (e.clientX - rect.left - canvas.clientLeft) * sx;
    var y = (e.clientY - rect.top - canvas.clientTop) * sy;
    var i = processorAt(x, y);
    if (i !== null) {
      state.selectedProcessor = i;
      draw();
      renderProcessorDetails();
    }
  });

  el('sp-findings').addEventListener('click', function (e) {
    var b = e.target.closest('.sp-finding');
    if (!b) {
      return;
    }
    var i = Number(b.getAttribute('data-finding'));
    state.selectedFinding = state.selectedFinding === i ? null : i;
    state.selectedMessage = null;
    renderFindings();
    renderMessages();
    draw();
    renderMessageDetails();
  });

  el('sp-colour-by').addEventListener('change', function (e) {
    state.colourBy = e.target.value;
    state.rates = null;
    state.ratesPerIndex = null;
    state.maxRate = 0;
    el('sp-rates-note').textContent = state.colourBy === 'rates' ? 'measuring ...' : '';
    renderTitle();
    draw();
    if (state.colourBy === 'rates' && state.ratesTimer === null) {
      pollRates();
    }
  });

  el('sp-messages').addEventListener('click', function (e) {
    var b = e.target.closest('.sp-msg');
    if (!b) {
      return;
    }
    var id = Number(b.getAttribute('data-message'));
    state.selectedMessage = state.selectedMessage === id ? null : id;
    state.selectedFinding = null;
    renderFindings();
    renderMessages();
    draw();
    renderMessageDetails();
  });

  function chooseAdapter(e) {
    var tr = e.target.closest('tr[data-adapter]');
    if (!tr || (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ')) {
      return;
    }
    e.preventDefault();
    state.wanted = tr.getAttribute('data-adapter');
    state.selectedProcessor = null;
    state.selectedMessage = null;
    state.selectedFinding = null;
    state.ratesPerIndex = null;
    state.maxRate = 0;
    refresh();
  }
  el('sp-adapters').addEventListener('click', chooseAdapter);
  el('sp-adapters').addEventListener('keydown', chooseAdapter);

  el('sp-backend-select').addEventListener('change', function (e) {
    state.backendChoice = e.target.value;
  });

  el('sp-backend-switch').addEventListener('click', function () {
    var name = el('sp-backend-select').value;
    state.backendChoice = null;
    var status = el('sp-backend-status');
    status.textContent = 'switching to ' + name + ' ...';
    api('backend', { method: 'POST', body: 'name=' + encodeURIComponent(name) }).then(function (r) {
      status.textContent = r.ok ? 'switched to ' + r.body.active : r.body.error;
      return refresh();
    }).catch(function (e) {
      status.textContent = e.message;
    });
  });

  // ---------------------------------------------------------------- fleet

  /** api/hosts (storport:hosts --json), polled while this storport is a fleet console; hidden otherwise. */
  var fleet = { doc: null, sort: 'host', descending: false };
  var FLEET_MS = 2000;
  var NO_FLEET_MS = 10000;

  function pollFleet() {
    if (state.stopped) {
      return;
    }
    var next = NO_FLEET_MS;
    api('hosts').then(function (r) {
      el('sp-fleet').hidden = !r.ok;
      if (r.ok) {
        fleet.doc = r.body;
        next = FLEET_MS;
        renderFleet();
      }
    }).catch(function () { /* shown by refresh */ }).finally(function () {
      if (!state.stopped) {
        setTimeout(pollFleet, next);
      }
    });
  }

  function fleetValue(h, key) {
    if (key === 'error' || key === 'warning' || key === 'info') {
      return h.findings[key];
    }
    return h[key] === null ? '' : h[key];
  }

  function renderFleet() {
    var doc = fleet.doc;
    el('sp-fleet-note').textContent = doc.hosts.length + ' host' + (doc.hosts.length === 1 ? '' : 's') + '; broker: ' + doc.connection;
    var select = el('sp-fleet-code');
    var codes = {};
    doc.hosts.forEach(function (h) { Object.keys(h.codes).forEach(function (c) { codes[c] = 1; }); });
    if (select.value) {
      codes[select.value] = 1;
    }
    var known = Array.prototype.map.call(select.options, function (o) { return o.value; }).slice(1);
    var wanted = Object.keys(codes).sort();
    if (known.join() !== wanted.join()) {
      var chosen = select.value;
      while (select.options.length > 1) {
        select.remove(1);
      }
      wanted.forEach(function (c) {
        var o = document.createElement('option');
        o.value = c;
        o.textContent = c;
        select.appendChild(o);
      });
      select.value = chosen;
    }
    var rows = doc.hosts.filter(function (h) { return !select.value || (h.codes[select.value] || 0) > 0; });
    rows.sort(function (a, b) {
      var x = fleetValue(a, fleet.sort), y = fleetValue(b, fleet.sort);
      var c = x < y ? -1 : x > y ? 1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0;
      return fleet.descending ? -c : c;
    });
    Array.prototype.forEach.call(el('sp-fleet-hosts').tHead.rows[0].cells, function (th) {
      var key = th.getAttribute('data-sort');
      th.setAttribute('aria-sort', key === fleet.sort ? (fleet.descending ? 'descending' : 'ascending') : 'none');
    });
    var active = state.backends ? state.backends.active : null;
    var body = el('sp-fleet-hosts').tBodies[0];
    body.innerHTML = '';
    rows.forEach(function (h) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-host', h.host);
      tr.tabIndex = 0;
      if (active === 'host:' + h.host) {
        tr.className = 'sp-selected';
      }
      var found = Object.keys(h.codes).sort().map(function (c) { return c + ' ' + h.codes[c]; }).join(', ');
      [h.host, h.online ? 'yes' : 'no', h.lastSeen || '-', h.backend || '-', h.adapters < 0 ? '-' : h.adapters, h.findings.error,
        h.findings.warning, h.findings.info, (found || '-') + (h.refused ? ' (last snapshot refused: ' + h.refused + ')' : '')]
        .forEach(function (v) {
          var td = document.createElement('td');
          td.textContent = String(v);
          tr.appendChild(td);
        });
      body.appendChild(tr);
    });
  }

  el('sp-fleet-hosts').tHead.addEventListener('click', function (e) {
    var key = e.target.getAttribute && e.target.getAttribute('data-sort');
    if (!key || !fleet.doc) {
      return;
    }
    fleet.descending = fleet.sort === key ? !fleet.descending : false;
    fleet.sort = key;
    renderFleet();
  });

  el('sp-fleet-code').addEventListener('change', function () {
    if (fleet.doc) {
      renderFleet();
    }
  });

  function showHost(tr) {
    var name = 'host:' + tr.getAttribute('data-host');
    var status = el('sp-backend-status');
    status.textContent = 'switching to ' + name + ' ...';
    api('backend', { method: 'POST', body: 'name=' + encodeURIComponent(name) }).then(function (r) {
      status.textContent = r.ok ? 'switched to ' + r.body.active : r.body.error;
      return refresh();
    }).then(function () {
      if (fleet.doc) {
        renderFleet();
      }
    }).catch(function (e) {
      status.textContent = e.message;
    });
  }

  el('sp-fleet-hosts').tBodies[0].addEventListener('click', function (e) {
    var tr = e.target.closest('tr[data-host]');
    if (tr) {
      showHost(tr);
    }
  });
  el('sp-fleet-hosts').tBodies[0].addEventListener('keydown', function (e) {
    var tr = e.target.closest('tr[data-host]');
    if (tr && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      showHost(tr);
    }
  });

  // ---------------------------------------------------------------- compare (what-if)

  /** Scores where lower is better, and the one where more is better. */
  var LOWER = ['maxPerMessage', 'crossNode', 'isolated', 'noMessage'];

  el('sp-compare').addEventListener('submit', function (e) {
    e.preventDefault();
    var status = el('sp-compare-status');
    if (!state.adapter) {
      status.textContent = 'no adapter';
      return;
    }
    var policies = el('sp-compare-policies').value.trim().split(/[\s,]+/).filter(Boolean).join(',');
    var query = 'policies=' + encodeURIComponent(policies) + '&isolated=' + encodeURIComponent(el('sp-compare-isolated').value.trim())
      + '&offline=' + encodeURIComponent(el('sp-compare-offline').value.trim());
    status.textContent = 'comparing ...';
    api('compare/' + encodeURIComponent(state.adapter.id) + '?' + query).then(function (r) {
      if (!r.ok) {
        status.textContent = r.body.error;
        el('sp-compare-result').innerHTML = '';
        window.storportCompare = { error: r.body.error };
        return;
      }
      var k = r.body.policies.length;
      status.textContent = r.body.adapter + ' on ' + r.body.backend + ': ' + k + (k === 1 ? ' policy' : ' policies');
      renderCompare(r.body);
    });
  });

  function renderCompare(doc) {
    var box = el('sp-compare-result');
    box.innerHTML = '';
    var rows = doc.policies.map(function (c) {
      return { policy: c.policy, messagesUsed: c.messagesUsed, maxPerMessage: c.processorsPerMessage.max, crossNode: c.crossNode,
        isolated: c.isolated, noMessage: c.noMessage, map: c.map, minPerMessage: c.processorsPerMessage.min, shutDown: c.shutDown };
    });
    var best = {};
    ['messagesUsed'].concat(LOWER).forEach(function (k) {
      var values = rows.map(function (r) { return r[k]; });
      best[k] = k === 'messagesUsed' ? Math.max.apply(null, values) : Math.min.apply(null, values);
    });
    var n = rows.length ? rows[0].map.length : 0;
    var cols = Math.max(4, Math.ceil(Math.sqrt(n * 2.5)));
    var cell = Math.max(2, Math.min(8, Math.floor(240 / cols) - 1));
    var gap = 1;
    rows.forEach(function (r) {
      var div = document.createElement('div');
      div.className = 'sp-candidate';
      div.setAttribute('data-policy', r.policy);
      var title = document.createElement('div');
      title.className = 'sp-title';
      title.textContent = r.policy;
      div.appendChild(title);
      var c = document.createElement('canvas');
      c.className = 'sp-mini';
      c.width = cols * (cell + gap);
      c.height = Math.ceil(n / cols) * (cell + gap);
      var g = c.getContext('2d');
      r.map.forEach(function (m, i) {
        g.fillStyle = colour(m);
        g.fillRect((i % cols) * (cell + gap), Math.floor(i / cols) * (cell + gap), cell, cell);
      });
      div.appendChild(c);
      var table = document.createElement('table');
      r.best = [];
      [['messages used', 'messagesUsed', r.messagesUsed], ['processors per message', 'maxPerMessage',
        r.messagesUsed ? (r.minPerMessage === r.maxPerMessage ? r.maxPerMessage : r.minPerMessage + '-' + r.maxPerMessage) : '-'],
        ['cross-node', 'crossNode', r.crossNode], ['isolated', 'isolated', r.isolated], ['no message', 'noMessage', r.noMessage]]
        .forEach(function (f) {
          var tr = document.createElement('tr');
          var th = document.createElement('td');
          th.textContent = f[0];
          var td = document.createElement('td');
          td.textContent = String(f[2]);
          td.setAttribute('data-score', f[1]);
          if (rows.length > 1 && r[f[1]] === best[f[1]]) {
            td.className = 'sp-best';
            r.best.push(f[1]);
          }
          tr.appendChild(th);
          tr.appendChild(td);
          table.appendChild(tr);
        });
      div.appendChild(table);
      box.appendChild(div);
    });
    window.storportCompare = { adapter: doc.adapter, backend: doc.backend, cols: cols, cell: cell, gap: gap, policies: rows };
  }

  el('sp-seed').addEventListener('submit', function (e) {
    e.preventDefault();
    var out = el('sp-seed-result');
    if (!state.adapter) {
      out.textContent = 'no adapter';
      return;
    }
    var index = el('sp-seed-index').value.trim();
    api('msgid/' + encodeURIComponent(state.adapter.id) + '/' + encodeURIComponent(index)).then(function (r) {
      var b = r.body;
      out.setAttribute('data-status', b.status || '');
      if (b.status === 'STOR_STATUS_SUCCESS') {
        out.setAttribute('data-message', String(b.message));
        out.textContent = 'Message ID ' + b.message + ' (' + b.status + ', processor ' + b.index + ')';
      } else {
        out.removeAttribute('data-message');
        out.textContent = b.status + ' (' + b.code + '): ' + b.reason;
      }
    });
  });

  /*
   * The page's policy runs no inline script (SecurityHeaders), which blocks the two the Web Console
   * puts in every page's header: the globals its support.js reads, and its navigation menu. Their
   * work, done here from the page's own attributes, and only where they did not run.
   */
  function webConsoleHeader() {
    if (typeof window.appRoot === 'undefined') {
      window.appRoot = root.getAttribute('data-app-root');
      window.pluginRoot = base;
    }
    var $ = window.jQuery;
    if ($ && $.fn.menu) {
      $(function () {
        var menu = $('#navmenu');
        if (menu.length && !menu.hasClass('ui-menu')) {
          menu.menu({ position: { my: 'left top', at: 'left bottom' }, classes: { 'ui-menu': 'ui-corner-all' } });
        }
      });
    }
  }

  // first names in the URL win: ...storport?adapter=sas0
  state.wanted = new URLSearchParams(window.location.search).get('adapter');
  refresh().then(function () { setTimeout(poll, POLL_MS); pollFleet(); });
})();
