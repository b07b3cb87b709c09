/* polku views: node labels with a level of detail, as a map draws its place names.
 *
 * A whole ecosystem fitted to the screen would draw every label at about 7 px, on top of
 * each other. Here the page draws the labels itself, in screen space, after vis-network
 * has drawn the picture (its "afterDrawing"):
 *
 * - never smaller than MIN_PX on screen, whatever the zoom (none larger than MAX_PX);
 * - while the graph's own font (17 units) would be smaller than ALL_PX on screen, only the
 *   labels that fit: greedily in the order of importance the server gave (``rank``:
 *   groups, segments, outcomes, actors by services provided, services by capacity,
 *   needs), each beneath its node, else above, right or left, wherever its box meets
 *   neither a label already placed nor another node (a group's, segment's or outcome's
 *   label may cross another node when nothing else is free), else not drawn;
 * - from ALL_PX on, every label (the reader has zoomed in to read);
 * - the selected nodes' (clicked, or found by search) always, placed first, in bold;
 * - the node's under the pointer always, in bold on a card of its own over the others,
 *   which stay where they are.
 *
 * A label is drawn in its node's own font colour where it has one (the segment view's
 * unmet need is named in red), else in the graph's.
 *
 * The boxes of the labels drawn last are kept (``boxes``, in CSS pixels of the canvas) for
 * tests and the console: ``window.polku.labels.boxes``. Deterministic: the same picture
 * and zoom give the same labels. Text reaches the canvas as text (fillText), never HTML.
 */
(function () {
  "use strict";

  var MIN_PX = 12;     // no label is drawn smaller on screen (≥ 11 px, WCAG-readable)
  var MAX_PX = 30;     // nor larger (vis-network's own cap, scaling.label.maxVisible)
  var ALL_PX = 11;     // the graph's font at least this big on screen: every label
  var BASE = 17;       // the graph's font size in graph units (options.nodes.font.size)
  var WRAP_EM = 10;    // wrap width in ems: vis-network's widthConstraint 170 at 17
  var LINE = 1.2;      // line height in ems
  var GAP = 3;         // px between a node's shape and its label
  var PAD = 2;         // px kept clear around each label when choosing
  var CELL = 64;       // px: the grid that finds a box's neighbours
  // the names a fitted ecosystem is read by: with no spot clear of the other nodes, their
  // label may cross a node's shape (never another label)
  var LANDMARKS = { cluster: true, segment: true, outcome: true };

  /* Word-wrapped lines of a text in ems (one measure at 100 px, scaled), cached: a label's
   * lines do not depend on the zoom, only its pixel size does. */
  function Measure(face) {
    this.ctx = document.createElement("canvas").getContext("2d");
    this.face = face;
    this.cache = {};
  }
  Measure.prototype.lines = function (text) {
    var hit = this.cache[text];
    if (hit) return hit;
    var ctx = this.ctx, out = [], widest = 0;
    ctx.font = "100px " + this.face;
    function em(s) { return ctx.measureText(s).width / 100; }
    String(text).split("\n").forEach(function (para) {
      var line = "";
      para.split(/\s+/).filter(Boolean).forEach(function (word) {
        var next = line ? line + " " + word : word;
        if (line && em(next) > WRAP_EM) { out.push(line); line = word; } else line = next;
      });
      if (line) out.push(line);
    });
    out.forEach(function (l) { widest = Math.max(widest, em(l)); });
    // bold is a little wider: the box is measured bold, so a label turning bold still fits
    ctx.font = "bold 100px " + this.face;
    out.forEach(function (l) { widest = Math.max(widest, em(l)); });
    hit = this.cache[text] = { lines: out, width: widest };
    return hit;
  };

  /* Boxes placed so far, found by the grid cells they cover. */
  function Placed() { this.cells = {}; }
  Placed.prototype.keys = function (b) {
    var out = [];
    for (var i = Math.floor(b.x / CELL); i <= Math.floor((b.x + b.w) / CELL); i++) {
      for (var j = Math.floor(b.y / CELL); j <= Math.floor((b.y + b.h) / CELL); j++) out.push(i + ":" + j);
    }
    return out;
  };
  Placed.prototype.free = function (b) {
    var keys = this.keys(b);
    for (var k = 0; k < keys.length; k++) {
      var here = this.cells[keys[k]] || [];
      for (var m = 0; m < here.length; m++) {
        var o = here[m];
        if (b.x < o.x + o.w + PAD && o.x < b.x + b.w + PAD && b.y < o.y + o.h + PAD && o.y < b.y + b.h + PAD) {
          return false;
        }
      }
    }
    return true;
  };
  Placed.prototype.add = function (b) {
    var self = this;
    this.keys(b).forEach(function (k) { (self.cells[k] = self.cells[k] || []).push(b); });
  };

  /* The labels of one view's network. ``view`` is polku-view.js's View. */
  function Labels(view) {
    var self = this, font = (view.data.options.nodes || {}).font || {};
    this.view = view;
    this.network = view.network;
    this.face = font.face || "sans-serif";
    this.colour = font.color || "#1f2933";
    this.measure = new Measure(this.face);
    this.hovered = null;
    this.boxes = [];
    this.mode = "";
    this.order = null;   // drawn nodes by importance, rebuilt when what is drawn changes
    this.network.on("afterDrawing", function (ctx) { self.draw(ctx); });
    this.network.on("hoverNode", function (ev) { self.hovered = ev.node; self.network.redraw(); });
    this.network.on("blurNode", function () { self.hovered = null; self.network.redraw(); });
    // the pointer leaving the picture (not for the node's tooltip) leaves no node under it
    view.root.querySelector(".pv-canvas").addEventListener("mouseleave", function (ev) {
      if (self.hovered === null || (ev.relatedTarget && ev.relatedTarget.closest && ev.relatedTarget.closest(".pv-tooltip"))) return;
      self.hovered = null;
      self.network.redraw();
    });
  }

  /* What is drawn changed (a filter, a group opened): choose again from the new nodes. */
  Labels.prototype.changed = function () { this.order = null; };

  Labels.prototype.candidates = function () {
    if (this.order) return this.order;
    var view = this.view;
    this.order = view.nodes.get({ filter: function (n) { return !n.hidden && !!n.text; } })
      .map(function (n) {
        return { id: n.id, text: n.text, ptype: n.ptype, size: n.size || 16, base: (n.font && n.font.size) || BASE,
                 colour: (n.font && n.font.color) || "", rank: n.rank === undefined ? 1e9 : n.rank };
      })
      .sort(function (a, b) { return a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    return this.order;
  };

  /* Choose and draw the labels for the picture as it now stands. */
  Labels.prototype.draw = function (ctx) {
    var net = this.network, scale = net.getScale(), all = BASE * scale >= ALL_PX - 1e-9;
    var canvas = ctx.canvas, ratio = canvas.width / (canvas.clientWidth || canvas.width);
    var width = canvas.clientWidth, height = canvas.clientHeight;
    var nodes = this.candidates(), ids = nodes.map(function (n) { return n.id; });
    var pos = net.getPositions(ids), pinned = {}, self = this, hovered = this.hovered;
    net.getSelectedNodes().forEach(function (id) { pinned[id] = true; });
    var first = nodes.filter(function (n) { return pinned[n.id]; });
    var rest = nodes.filter(function (n) { return !pinned[n.id]; });
    var placed = new Placed(), shapes = new Placed(), boxes = [];
    if (!all) {
      // a label chosen by importance keeps off the other nodes' shapes too, as a map's
      // names keep off its symbols (its own shape is above it, clear by GAP)
      nodes.forEach(function (n) {
        var at = pos[n.id];
        if (!at) return;
        var c = net.canvasToDOM(at), r = n.size * scale;
        shapes.add({ x: c.x - r, y: c.y - r, w: 2 * r, h: 2 * r });
      });
      // and off what the page lays over the picture (the hint in its corner)
      var frame = canvas.getBoundingClientRect();
      Array.prototype.forEach.call(this.view.root.querySelectorAll(".pv-hint"), function (el) {
        var o = el.getBoundingClientRect();
        if (o.width) shapes.add({ x: o.left - frame.left, y: o.top - frame.top, w: o.width, h: o.height });
      });
    }
    var over = null;   // the label of the node under the pointer, over the others
    first.concat(rest).forEach(function (n) {
      var at = pos[n.id];
      if (!at) return;
      var hover = n.id === hovered && !pinned[n.id];
      var px = Math.min(Math.max(n.base * scale, MIN_PX), MAX_PX);
      var m = self.measure.lines(n.text);
      var c = net.canvasToDOM(at), r = n.size * scale;
      var w = m.width * px, h = m.lines.length * LINE * px;
      // beneath the node (as vis-network puts it); when the picture is too full for
      // every label, above, right or left of it if beneath is taken
      var spots = [[c.x - w / 2, c.y + r + GAP], [c.x - w / 2, c.y - r - GAP - h],
                   [c.x + r + GAP, c.y - h / 2], [c.x - r - GAP - w, c.y - h / 2]];
      if (hover) {
        // drawn last, beneath its node on a card of its own; its place among the others
        // is kept as it was, so that they stay put
        over = { id: n.id, x: spots[0][0], y: spots[0][1], w: w, h: h, px: px, bold: true, lines: m.lines,
                 colour: n.colour };
      }
      var b = null, tries = all || pinned[n.id] ? 1 : spots.length, fallback = null;
      for (var i = 0; i < tries && !b; i++) {
        var spot = { id: n.id, x: spots[i][0], y: spots[i][1], w: w, h: h, px: px,
                     bold: !!pinned[n.id], lines: m.lines, colour: n.colour };
        if (spot.x > width || spot.y > height || spot.x + w < 0 || spot.y + h < 0) continue;  // off screen
        if (spot.bold || all) b = spot;
        else if (spot.x < 0 || spot.y < 0 || spot.x + w > width || spot.y + h > height) continue;  // cut off
        else if (placed.free(spot)) {
          if (shapes.free(spot)) b = spot;
          else if (!fallback && LANDMARKS[n.ptype]) fallback = spot;
        }
      }
      b = b || fallback;
      if (!b) return;
      placed.add(b);
      if (!hover) boxes.push(b);
    });
    if (over) boxes.push(over);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "#ffffff";
    boxes.forEach(function (b) {
      if (b === over) {
        ctx.fillStyle = "rgba(255,255,255,0.92)";
        ctx.fillRect(b.x - 3, b.y - 1, b.w + 6, b.h + 2);
      }
      ctx.fillStyle = b.colour || self.colour;
      ctx.font = (b.bold ? "bold " : "") + b.px + "px " + self.face;
      ctx.lineWidth = Math.max(3, b.px / 4);
      b.lines.forEach(function (line, i) {
        var y = b.y + i * LINE * b.px + (LINE - 1) * b.px / 2;
        ctx.strokeText(line, b.x + b.w / 2, y);
        ctx.fillText(line, b.x + b.w / 2, y);
      });
    });
    ctx.restore();
    this.mode = all ? "all" : "fit";
    this.boxes = boxes.map(function (b) {
      return { id: b.id, x: b.x, y: b.y, w: b.w, h: b.h, px: b.px, bold: b.bold, hovered: b === over };
    });
  };

  /* Fit the whole picture with room for the labels at its edges (vis-network's own fit
   * counts only the shapes once the labels are the page's). */
  Labels.prototype.fit = function (animated) {
    var net = this.network, ids = this.candidates().map(function (n) { return n.id; });
    var pos = net.getPositions(ids), box = null, sizes = {};
    this.order.forEach(function (n) { sizes[n.id] = n.size; });
    Object.keys(pos).forEach(function (id) {
      var p = pos[id], r = sizes[id] || 16;
      if (!box) box = { l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r };
      box.l = Math.min(box.l, p.x - r); box.r = Math.max(box.r, p.x + r);
      box.t = Math.min(box.t, p.y - r); box.b = Math.max(box.b, p.y + r);
    });
    if (!box) { net.fit({ animation: animated }); return; }
    var el = this.view.root.querySelector(".pv-canvas"), w = el.clientWidth, h = el.clientHeight;
    // room for half a label beside the outermost nodes and two lines beneath the lowest
    var side = WRAP_EM * MIN_PX / 2, top = 8, bottom = GAP + 2 * LINE * MIN_PX + 6;
    var scale = Math.min((w - 2 * side) / Math.max(box.r - box.l, 1),
                         (h - top - bottom) / Math.max(box.b - box.t, 1), 1);
    scale = Math.max(scale, 0.02);
    var at = { x: (box.l + box.r) / 2, y: (box.t + box.b) / 2 + (bottom - top) / (2 * scale) };
    net.moveTo({ position: at, scale: scale,
                 animation: animated ? { duration: 400, easingFunction: "easeInOutQuad" } : false });
    if (animated) {
      // vis-network's animation stops a hair short of its goal: land on it, so that "Fit
      // to screen" shows the very labels the page opened with (unless the reader moved on)
      net.once("animationFinished", function () {
        if (Math.abs(net.getScale() / scale - 1) < 0.02) net.moveTo({ position: at, scale: scale, animation: false });
      });
    }
  };

  window.PolkuLabels = Labels;
})();
