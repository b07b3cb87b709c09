/* polku views: builds one interactive network from the JSON block of a view.
 *
 * Every piece of user data (labels, tooltips, names in lists) reaches the DOM through
 * textContent or Option(text); nothing here writes HTML. A name in another language than
 * the page's comes marked with its language (polku.present.langmarks: U+E000, the language,
 * U+E001, the name, U+E002): the tooltips and the details mark it as <span lang>, and the
 * canvas and the search take it as plain text (WCAG 3.1.2).
 *
 * The tooltips are the page's own, not vis-network's (which follows the pointer and hides
 * as it leaves the node): shown on hover, they stay while the pointer is on the node or on
 * the tooltip itself, and Escape hides them without moving the pointer or the focus
 * (WCAG 1.4.13). */
(function () {
  "use strict";

  var views = (window.polkuViews = window.polkuViews || []);

  function $(root, sel) { return root.querySelector(sel); }
  function $$(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  /* A sentence of the page's language (from the JSON document) with its {fields} filled. */
  function say(view, key, fields) {
    return String((view.data.texts || {})[key] || key).replace(/\{(\w+)\}/g, function (m, k) {
      return fields && fields[k] !== undefined ? String(fields[k]) : m;
    });
  }

  function norm(text) { return String(text || "").toLocaleLowerCase().replace(/\s+/g, " ").trim(); }

  var MARKED = "\ue000([A-Za-z0-9-]+)\ue001([^\ue000-\ue002]*)\ue002";

  /* Text without its language marks. */
  function plain(text) {
    return String(text || "").replace(new RegExp(MARKED, "g"), "$2").replace(/[\ue000-\ue002]/g, "");
  }

  /* Text as DOM nodes: each marked name a <span lang>, the rest plain text. */
  function marked(text) {
    var out = document.createDocumentFragment(), s = String(text || ""), at = 0, m;
    var find = new RegExp(MARKED, "g");  // its own: exec walks it with lastIndex
    while ((m = find.exec(s)) !== null) {
      if (m.index > at) out.appendChild(document.createTextNode(plain(s.slice(at, m.index))));
      var span = document.createElement("span");
      span.lang = m[1];
      span.textContent = m[2];
      out.appendChild(span);
      at = find.lastIndex;
    }
    if (at < s.length) out.appendChild(document.createTextNode(plain(s.slice(at))));
    return out;
  }

  /* A node or edge as vis-network takes it: its tooltip text kept as "tip" (the page shows
   * it), no "title" (vis-network's own tooltip would show it too). */
  function drawn(item, extra) {
    var x = Object.assign({}, item, extra);
    if (x.title !== undefined) { x.tip = x.title; delete x.title; }
    return x;
  }

  function View(root) {
    var self = this;
    this.root = root;
    this.t0 = performance.now();
    this.data = JSON.parse($(root, ".pv-data").textContent);
    this.timings = { parsed: performance.now() - this.t0 };
    this.byId = {};
    this.data.nodes.forEach(function (n) { self.byId[n.id] = n; });
    this.visible = null;      // id -> bool once a filter is set; null shows everything
    this.segment = "";
    this.collapsed = {};      // cluster key -> true while the cluster is closed
    this.members = {};
    this.clusterIds = {};     // cluster node id -> cluster key
    if (this.data.cluster) this.initClusters();
    this.nodes = new vis.DataSet(this.drawnNodes());
    this.edges = new vis.DataSet(this.drawnEdges());
    this.stable = false;
    this.stableAt = null;
    var options = this.data.options;
    var physics = this.data.physics;
    if (physics) {
      // Laid out once, then still: a designer can drag nodes without the graph drifting.
      options.physics.enabled = false;
    }
    this.network = new vis.Network($(root, ".pv-canvas"), { nodes: this.nodes, edges: this.edges }, options);
    // the page draws the node labels itself, by importance (polku-labels.js)
    this.labels = this.data.labels === "lod" ? new window.PolkuLabels(this) : null;
    this.timings.network = performance.now() - this.t0;
    // vis-network makes its frame a tab stop, though its keyboard use is off here: a stop
    // with no name and nothing to do (the canvas box names the picture for screen readers)
    $$(root, ".vis-network").forEach(function (frame) { frame.setAttribute("tabindex", "-1"); });
    this.bindUi();
    this.initTooltip();
    if (physics && this.data.nodes.length) {
      var bar = $(root, ".pv-progress");
      this.network.on("stabilizationProgress", function (p) {
        bar.value = Math.round((100 * p.iterations) / p.total);
      });
      this.network.once("stabilizationIterationsDone", function () {
        self.network.setOptions({ physics: { enabled: false } });
        self.fit(false);
        self.markStable();
      });
      this.network.setOptions({ physics: { enabled: true } });
      this.network.stabilize(options.physics.stabilization.iterations);
    } else {
      this.fit(false);
      this.readable();
      this.markStable();
    }
  }

  /* The whole picture on screen; with the page's own labels, room left for them. */
  View.prototype.fit = function (animated) {
    if (this.labels) this.labels.fit(animated);
    else this.network.fit({ animation: animated });
  };

  /* A picture too tall to fit with legible labels (the plan: one row per measure) opens
   * at the view's smallest readable zoom, at its top; "Fit to screen" still shows it all. */
  View.prototype.readable = function () {
    var min = this.data.minScale;
    if (!min || this.network.getScale() >= min) return;
    var pos = this.network.getPositions(), xs = [], ys = [];
    Object.keys(pos).forEach(function (k) { xs.push(pos[k].x); ys.push(pos[k].y); });
    if (!ys.length) return;
    var box = $(this.root, ".pv-canvas"), left = Math.min.apply(null, xs),
        right = Math.max.apply(null, xs), top = Math.min.apply(null, ys);
    var halfW = box.clientWidth / 2 / min, halfH = box.clientHeight / 2 / min;
    var x = right - left + 240 < 2 * halfW ? (left + right) / 2 : left - 120 + halfW;
    this.network.moveTo({ position: { x: x, y: top - 60 + halfH }, scale: min, animation: false });
  };

  View.prototype.markStable = function () {
    this.stable = true;
    this.stableAt = performance.now();
    this.timings.stable = this.stableAt - this.t0;
    this.root.setAttribute("data-stable", "1");
  };

  /* Big graphs: services start collapsed with their provider (or region) into one node
   * per group, which opens on click. Done here rather than with vis-network's clustering,
   * whose edge merging is quadratic in a cluster's outside edges. */
  View.prototype.initClusters = function () {
    var self = this, groups = this.data.cluster.groups;
    this.data.nodes.forEach(function (n) {
      if (n.cid) (self.members[n.cid] = self.members[n.cid] || []).push(n.id);
    });
    Object.keys(this.members).forEach(function (key) {
      if (self.members[key].length > 1) {
        self.collapsed[key] = true;
        self.clusterIds[groups[key].id] = key;
      }
    });
  };

  View.prototype.clusterNode = function (key) {
    var g = this.data.cluster.groups[key], count = this.members[key].length;
    var ring = g.sev === "error" ? "#d62728" : g.sev === "warning" ? "#f4a100" : "#343a40";
    return {
      id: g.id, cid: key, ptype: "cluster", label: g.label + " (" + g.services + ")", tip: g.title,
      shape: "dot", size: Math.min(16 + 3 * Math.sqrt(count), 60), borderWidth: 3,
      shapeProperties: { borderDashes: [6, 4] },
      color: { background: g.colour, border: ring, highlight: { background: g.colour, border: "#111111" } },
      font: { size: 15, color: "#111827", strokeWidth: 4, strokeColor: "#ffffff" },
      x: g.x, y: g.y,  // laid out by the server, where it has done so
      rank: g.rank     // how soon its label is drawn (polku-labels.js)
    };
  };

  /* The node a graph node is drawn as: itself, or its closed cluster. */
  View.prototype.rep = function (id) {
    var n = this.byId[id];
    return n && n.cid && this.collapsed[n.cid] ? this.data.cluster.groups[n.cid].id : id;
  };

  View.prototype.isVisible = function (id) {
    if (this.clusterIds[id] !== undefined) {
      var self = this;
      return this.members[this.clusterIds[id]].some(function (m) { return self.isVisible(m); });
    }
    return !this.visible || this.visible[id] === true;
  };

  View.prototype.drawnNodes = function () {
    var self = this, out = [];
    this.data.nodes.forEach(function (n) {
      if (self.rep(n.id) === n.id) out.push(drawn(n, { hidden: !self.isVisible(n.id) }));
    });
    Object.keys(this.collapsed).forEach(function (key) {
      var c = self.clusterNode(key);
      c.hidden = !self.isVisible(c.id);
      out.push(c);
    });
    if (this.data.labels === "lod") {
      // the page draws these labels (polku-labels.js): vis-network gets none to draw
      out.forEach(function (x) { x.text = x.label; delete x.label; });
    }
    return out;
  };

  View.prototype.edgeApplies = function (e) {
    var s = this.segment;
    return !s || e.kind !== "referral" || !e.segs || !e.segs.length || e.segs.indexOf(s) >= 0;
  };

  /* Edges as drawn: originals between drawn nodes, and one grey edge per pair of drawn
   * nodes for everything that runs into or out of a closed cluster. */
  View.prototype.drawnEdges = function () {
    var self = this, out = [], agg = {};
    this.data.edges.forEach(function (e) {
      var a = self.rep(e.from), b = self.rep(e.to);
      var show = self.isVisible(e.from) && self.isVisible(e.to) && self.edgeApplies(e);
      if (a === e.from && b === e.to) {
        out.push(drawn(e, { hidden: !show }));
        return;
      }
      if (a === b) return;
      var key = a < b ? a + "\u0001" + b : b + "\u0001" + a;
      var g = agg[key] || (agg[key] = { id: "agg:" + key, from: a, to: b, kind: "aggregate", n: 0, hidden: true });
      g.n += 1;
      if (show) g.hidden = false;
    });
    Object.keys(agg).forEach(function (key) {
      var g = agg[key];
      g.width = Math.min(1 + Math.log(g.n) / Math.LN2, 7);
      g.color = { color: "#8d96a3", opacity: 0.4 };
      g.tip = say(self, "aggregate", { n: g.n });
      out.push(g);
    });
    return out;
  };

  /* Bring the DataSets in line with what should be drawn (after filters or opening). */
  View.prototype.sync = function () {
    function diff(ds, want) {
      var have = {}, add = [], update = [], remove = [];
      ds.get({ fields: ["id", "hidden", "n"] }).forEach(function (x) { have[x.id] = x; });
      want.forEach(function (x) {
        var h = have[x.id];
        if (!h) add.push(x);
        else if ((h.hidden === true) !== (x.hidden === true) || h.n !== x.n) {
          // Only what changed: a full update would move dragged nodes back.
          update.push(x.kind === "aggregate" ? x : { id: x.id, hidden: x.hidden });
        }
        delete have[x.id];
      });
      remove = Object.keys(have);
      if (remove.length) ds.remove(remove);
      if (add.length) ds.add(add);
      if (update.length) ds.update(update);
    }
    diff(this.nodes, this.drawnNodes());
    diff(this.edges, this.drawnEdges());
    if (this.labels) this.labels.changed();
  };

  View.prototype.openCluster = function (clusterId) {
    var key = this.clusterIds[clusterId];
    if (key === undefined || !this.collapsed[key]) return;
    var at = this.network.getPosition(clusterId), golden = Math.PI * (3 - Math.sqrt(5)), self = this;
    this.members[key].forEach(function (id, i) {
      // A sunflower spiral around the cluster: physics is off by now, and it never overlaps.
      var r = 45 * Math.sqrt(i + 0.5), a = i * golden;
      self.byId[id].x = at.x + r * Math.cos(a);
      self.byId[id].y = at.y + r * Math.sin(a);
    });
    delete this.collapsed[key];
    delete this.clusterIds[clusterId];
    this.sync();
  };

  /* Open the cluster that holds node id, if it is closed. */
  View.prototype.reveal = function (id) {
    var n = this.byId[id];
    if (n && n.cid && this.collapsed[n.cid]) this.openCluster(this.data.cluster.groups[n.cid].id);
  };

  View.prototype.findNodes = function (text) {
    var q = norm(text);
    if (!q) return [];
    var exact = [], partial = [];
    this.data.nodes.forEach(function (n) {
      var l = norm(n.label), id = norm(n.gid);
      if (l === q || id === q) exact.push(n.id);
      else if (l.indexOf(q) >= 0 || id.indexOf(q) >= 0) partial.push(n.id);
    });
    return exact.concat(partial);
  };

  /* Find a node by label (or id), open its cluster, make it visible, focus and select it. */
  View.prototype.search = function (text) {
    var status = $(this.root, ".pv-status");
    var hits = this.findNodes(text);
    status.classList.remove("pv-miss");
    if (!hits.length) {
      status.textContent = text ? say(this, "noMatch", { text: text }) : "";
      if (text) status.classList.add("pv-miss");
      return null;
    }
    var id = hits[0];
    if (!this.isVisible(id)) this.resetFilters();
    this.reveal(id);
    this.network.selectNodes([id]);
    this.network.focus(id, { scale: 1.3, animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    this.showDetails(this.byId[id].title);
    var found = plain(this.byId[id].label).replace(/\n/g, " ");
    status.textContent = hits.length > 1 ? say(this, "foundMore", { label: found, more: hits.length - 1 })
      : say(this, "found", { label: found });
    return id;
  };

  View.prototype.showDetails = function (text) {
    var box = $(this.root, ".pv-details");
    box.hidden = !text;
    $(box, ".pv-details-text").replaceChildren(marked(text));
  };

  /* The tooltip of a node or edge (WCAG 1.4.13): shown a moment after the pointer comes to
   * rest on it, kept while the pointer is on it or on the tooltip (a short grace to cross
   * the gap between them), hidden by Escape without moving the pointer or the focus, and
   * when the picture moves under it. */
  View.prototype.initTooltip = function () {
    var self = this, stage = $(this.root, ".pv-stage");
    var tip = document.createElement("div");
    tip.className = "pv-tooltip";
    tip.id = this.root.id + "-tooltip";
    tip.setAttribute("role", "tooltip");
    tip.hidden = true;
    stage.appendChild(tip);
    this.tip = tip;
    this.tipFor = null;     // the id of what the tooltip is about
    this.tipTimer = null;
    function later(fn, ms) { clearTimeout(self.tipTimer); self.tipTimer = setTimeout(fn, ms); }
    function show(id, text, pointer) {
      if (!text) return;
      later(function () {
        tip.replaceChildren(marked(text));
        tip.hidden = false;
        self.tipFor = id;
        // beside the pointer, inside the picture
        var box = stage.getBoundingClientRect(), x = pointer.x + 14, y = pointer.y + 14;
        if (x + tip.offsetWidth > box.width) x = Math.max(0, pointer.x - 14 - tip.offsetWidth);
        if (y + tip.offsetHeight > box.height) y = Math.max(0, pointer.y - 14 - tip.offsetHeight);
        tip.style.left = x + "px";
        tip.style.top = y + "px";
      }, 120);
    }
    this.hideTooltip = function () {
      clearTimeout(self.tipTimer);
      tip.hidden = true;
      self.tipFor = null;
    };
    function leave() { later(self.hideTooltip, 300); }
    this.network.on("hoverNode", function (ev) {
      var n = self.nodes.get(ev.node);
      show(ev.node, n && n.tip, ev.pointer.DOM);
    });
    this.network.on("hoverEdge", function (ev) {
      var e = self.edges.get(ev.edge);
      show(ev.edge, e && e.tip, ev.pointer.DOM);
    });
    this.network.on("blurNode", leave);
    this.network.on("blurEdge", leave);
    ["dragStart", "zoom"].forEach(function (name) { self.network.on(name, self.hideTooltip); });
    // hoverable: the pointer may move onto the tooltip (to read or select its text)
    tip.addEventListener("mouseenter", function () { clearTimeout(self.tipTimer); });
    tip.addEventListener("mouseleave", leave);
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && !tip.hidden) {
        ev.preventDefault();   // Escape dismisses the tooltip only (not, say, the search text)
        self.hideTooltip();
      }
    });
  };

  /* R(s) of the findings spec, walked here so the segment filter needs no data per segment. */
  View.prototype.reach = function (s) {
    var byId = this.byId, out = {}, entries = [], seen = {};
    this.data.edges.forEach(function (e) {
      if (e.kind === "entry" && e.from === s) entries.push(e.to);
      if (e.kind === "referral") (out[e.from] = out[e.from] || []).push(e);
    });
    function applies(e) { return !e.segs || !e.segs.length || e.segs.indexOf(s) >= 0; }
    function eligible(id) {
      var n = byId[id];
      if (!n) return false;
      if (n.ptype === "outcome") return true;
      return !n.segs || !n.segs.length || n.segs.indexOf(s) >= 0;
    }
    var todo = entries.filter(function (id) { return byId[id]; });
    todo.forEach(function (id) { seen[id] = true; });
    while (todo.length) {
      var id = todo.shift();
      (out[id] || []).forEach(function (e) {
        if (!seen[e.to] && applies(e) && eligible(e.to)) { seen[e.to] = true; todo.push(e.to); }
      });
    }
    return seen;
  };

  /* Which nodes the segment filter keeps. */
  View.prototype.segmentKeeps = function (s) {
    var self = this, keep = {};
    if (this.data.kind === "ecosystem") {
      keep = this.reach(s);
      keep[s] = true;
      this.data.edges.forEach(function (e) {
        if (e.kind === "has_need" && e.from === s) keep[e.to] = true;
      });
      this.data.edges.forEach(function (e) {
        if (e.kind === "provides" && keep[e.to]) keep[e.from] = true;
      });
      return keep;
    }
    // Other views tag their nodes with segments; untagged nodes follow their neighbours.
    this.data.nodes.forEach(function (n) {
      if (n.segs && (!n.segs.length || n.segs.indexOf(s) >= 0)) keep[n.id] = true;
    });
    this.data.edges.forEach(function (e) {
      var a = self.byId[e.from], b = self.byId[e.to];
      if (a && b && !a.segs && keep[e.to]) keep[e.from] = true;
      if (a && b && !b.segs && keep[e.from]) keep[e.to] = true;
    });
    return keep;
  };

  View.prototype.applyFilters = function () {
    var types = {}, s = $(this.root, ".pv-segment").value, visible = {}, shown = 0;
    $$(this.root, ".pv-type").forEach(function (box) { types[box.value] = box.checked; });
    var keep = s ? this.segmentKeeps(s) : null;
    this.data.nodes.forEach(function (n) {
      var show = types[n.ptype] !== false && (!keep || keep[n.id] === true);
      visible[n.id] = show;
      if (show) shown += 1;
    });
    var all = shown === this.data.nodes.length && !s;
    this.visible = all ? null : visible;
    this.segment = s;
    this.sync();
    $(this.root, ".pv-status").textContent = all ? "" :
      say(this, "shown", { shown: shown, total: this.data.nodes.length });
  };

  View.prototype.resetFilters = function () {
    $$(this.root, ".pv-type").forEach(function (box) { box.checked = true; });
    $(this.root, ".pv-segment").value = "";
    this.applyFilters();
  };

  View.prototype.bindUi = function () {
    var self = this, root = this.root, input = $(root, ".pv-search-input");
    var names = $(root, "datalist"), seen = {};
    this.data.nodes.forEach(function (n) {
      var text = plain(n.label).replace(/\n/g, " ");
      if (seen[text]) return;
      seen[text] = true;
      var opt = document.createElement("option");
      opt.value = text;
      names.appendChild(opt);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") { ev.preventDefault(); self.search(input.value); }
    });
    input.addEventListener("change", function () { self.search(input.value); });
    $(root, ".pv-search-go").addEventListener("click", function () { self.search(input.value); });
    $$(root, ".pv-type").forEach(function (box) {
      box.addEventListener("change", function () { self.applyFilters(); });
    });
    $(root, ".pv-segment").addEventListener("change", function () { self.applyFilters(); });
    $(root, ".pv-reset").addEventListener("click", function () { self.resetFilters(); });
    $(root, ".pv-fit").addEventListener("click", function () { self.fit(true); });
    this.network.on("click", function (ev) {
      if (ev.nodes.length) {
        var id = ev.nodes[0];
        if (self.clusterIds[id] !== undefined) { self.openCluster(id); self.showDetails(""); return; }
        self.showDetails((self.byId[id] || {}).title);
      } else if (ev.edges.length) {
        var e = self.edges.get(ev.edges[0]);
        self.showDetails(e ? e.tip : "");
      } else {
        self.showDetails("");
      }
    });
  };

  window.polkuView = function (root) {
    var view = new View(root);
    views.push(view);
    if (!window.network) {
      // The first view on the page is the one tests and the console reach for.
      window.network = view.network;
      window.polku = view;
    }
    return view;
  };
})();
