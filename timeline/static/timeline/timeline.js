/* The visual timeline: an SVG drawn from the page's JSON data block (#timeline-data).
   Without JavaScript the page is the server-rendered list; this only adds the picture.
   Lanes are regions (sub-regions under their region), stages are eras over the lanes of the region
   they belong to, marks are agreements and events at the precision their papers give:
   a point for a day, the month or year for a month or year, an arrow ending at a "before" bound.
   Keyboard: one mark is in the tab order; arrows move between marks, Enter opens the record. */
(function () {
  "use strict";
  var block = document.getElementById("timeline-data");
  var section = document.getElementById("visual-timeline");
  if (!block || !section) { return; }
  var data = JSON.parse(block.textContent);
  if (!data.marks.length) { return; }
  var box = section.querySelector(".timeline-scroll");
  var NS = "http://www.w3.org/2000/svg";
  // On a phone the lane names take a narrower column, so that more of the years show at once.
  var narrow = window.innerWidth < 520;  // the section is still hidden: its own width is 0
  var LABEL = narrow ? 104 : 170, NAME_CHARS = narrow ? 6 : 11, YEAR = 64, ROW = 22, LANE_PAD = 8, AXIS = 28, ERA_ROW = 20, RIGHT = 16;
  var first = data.first, last = data.last;
  var width = LABEL + (last - first) * YEAR + RIGHT;

  function x(year) { return LABEL + (year - first) * YEAR; }

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function extent(mark) {
    // Pixel extent a mark occupies in its lane, used to stack marks that would overlap.
    if (mark.start === null) { return [x(Math.max(first, mark.end - 3)) - 6, x(mark.end) + 3]; }
    var a = x(mark.start), b = x(mark.end);
    if (b - a < 12) { var mid = (a + b) / 2; a = mid - 6; b = mid + 6; }
    return [a, b];
  }

  // Pack each lane's marks into rows so that none hides another.
  var lanes = data.lanes.map(function (lane) { return { lane: lane, rows: [], items: [] }; });
  var laneIndex = {};
  lanes.forEach(function (l, i) { laneIndex[l.lane.slug] = i; });
  data.marks.forEach(function (mark) {
    mark.lanes.forEach(function (slug) {
      var lane = lanes[laneIndex[slug]];
      if (!lane) { return; }
      var span = extent(mark), row = 0;
      while (lane.rows[row] !== undefined && lane.rows[row] > span[0] - 3) { row += 1; }
      lane.rows[row] = span[1];
      lane.items.push({ mark: mark, row: row, span: span });
    });
  });
  var top = ERA_ROW + AXIS, y = top;
  lanes.forEach(function (lane) {
    lane.top = y;
    lane.height = Math.max(1, lane.rows.length) * ROW + LANE_PAD * 2;
    y += lane.height;
  });
  var height = y + 6;

  var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
                        role: "group", "aria-labelledby": "visual-title", "aria-describedby": "visual-help" });

  // Eras: a stage covers only the lanes of its region and the regions inside it.
  var eras = el("g", { "class": "eras" }, svg);
  data.stages.forEach(function (stage) {
    var covered = stage.lanes.map(function (slug) { return lanes[laneIndex[slug]]; }).filter(Boolean);
    if (!covered.length) { return; }
    var y0 = Math.min.apply(null, covered.map(function (l) { return l.top; }));
    var y1 = Math.max.apply(null, covered.map(function (l) { return l.top + l.height; }));
    var x0 = x(Math.max(first, stage.from)), x1 = x(Math.min(last, stage.to));
    var era = el("rect", { "class": "era", x: x0, y: y0, width: Math.max(0, x1 - x0), height: y1 - y0 }, eras);
    el("title", {}, era).textContent = stage.region + "·" + stage.name + "（" + stage.period + "）";
    var link = el("a", { href: stage.url, tabindex: "-1" }, eras);
    var label = el("text", { "class": "era-label", x: x0 + 4, y: ERA_ROW - 6 }, link);
    label.textContent = (stage.open_start ? "⟵ " : "") + stage.region + "·" + stage.name;
    el("line", { "class": "tick", x1: x0, x2: x0, y1: ERA_ROW - 16, y2: y1 }, eras);
  });

  // Year axis.
  var axis = el("g", { "class": "axis" }, svg);
  for (var year = first; year <= last; year += 1) {
    el("line", { "class": "tick", x1: x(year), x2: x(year), y1: top - 6, y2: height - 6 }, axis);
    if (year < last) {
      var t = el("text", { "class": "tick-label", x: x(year) + 3, y: top - 10 }, axis);
      t.textContent = String(year);
    }
  }

  // Lanes, and their names in a column that stays put while the years scroll under it.
  var laneGroup = el("g", { "class": "lanes" }, svg);
  var names = el("g", { "class": "lane-names" });
  el("rect", { "class": "lane-names-bg", x: 0, y: 0, width: LABEL - 2, height: height }, names);
  lanes.forEach(function (lane) {
    el("line", { "class": "lane-line", x1: 0, x2: width, y1: lane.top + lane.height, y2: lane.top + lane.height }, laneGroup);
    el("line", { "class": "lane-line", x1: 0, x2: LABEL, y1: lane.top + lane.height, y2: lane.top + lane.height }, names);
    var label = el("text", { "class": "lane-label" + (lane.lane.depth ? " sub" : ""), x: 6 + lane.lane.depth * (narrow ? 8 : 14),
                             y: lane.top + LANE_PAD + ROW / 2 + 4 }, names);
    var name = lane.lane.name;
    label.textContent = (lane.lane.depth ? "└ " : "") + (name.length > NAME_CHARS ? name.slice(0, NAME_CHARS - 1) + "…" : name);
    el("title", {}, label).textContent = name;
  });

  // Marks.
  var detail = document.createElement("p");
  detail.className = "mark-detail";
  detail.setAttribute("aria-live", "polite");
  var marksGroup = el("g", { "class": "marks" }, svg);
  var typeLabel = { agreement: box.dataset.labelAgreement, event: box.dataset.labelEvent };
  lanes.forEach(function (lane, laneNo) {
    lane.items.sort(function (a, b) { return a.span[0] - b.span[0] || a.row - b.row; });
    lane.items.forEach(function (item, i) {
      var m = item.mark, cy = lane.top + LANE_PAD + item.row * ROW + ROW / 2;
      var text = m.date + " · " + typeLabel[m.type] + " · " + m.title;
      var a = el("a", { href: m.url, "class": "mark " + m.type + " p-" + m.precision + (m.ranged ? " ranged" : ""),
                        tabindex: "-1", "aria-label": text, "data-lane": laneNo, "data-index": i }, marksGroup);
      el("title", {}, a).textContent = text;
      var x0 = item.span[0], x1 = item.span[1];
      if (m.precision === "before") {
        // A bound: a dotted line that fades into the past, an arrowhead, and a bar at the bound's year.
        var xb = x(m.end);
        el("line", { "class": "shape", x1: x0 + 6, x2: xb, y1: cy, y2: cy }, a);
        el("path", { "class": "arrow", d: "M" + x0 + " " + cy + " l8 -5 v10 z" }, a);
        el("rect", { "class": "arrow", x: xb - 2, y: cy - 7, width: 3, height: 14 }, a);
      } else if (m.precision === "day" && !m.ranged) {
        el("circle", { "class": "shape", cx: (x0 + x1) / 2, cy: cy, r: 6 }, a);
      } else {
        el("rect", { "class": "shape", x: x0, y: cy - 6, width: Math.max(4, x1 - x0), height: 12, rx: 2 }, a);
      }
      el("rect", { "class": "focus-ring", x: x0 - 3, y: cy - 9, width: (x1 - x0) + 6, height: 18, rx: 3 }, a);
      item.node = a;
      a.addEventListener("focus", function () { detail.textContent = text; });
      a.addEventListener("mouseenter", function () { detail.textContent = text; });
    });
  });

  svg.appendChild(names);  // drawn last, over the eras and marks it covers when scrolled
  box.appendChild(svg);
  box.after(detail);
  box.addEventListener("scroll", function () {
    names.setAttribute("transform", "translate(" + box.scrollLeft + ",0)");
  });
  section.hidden = false;

  // Keyboard: a roving tabindex over the marks.
  var current = null;
  function focusItem(item) {
    if (!item) { return; }
    if (current) { current.node.setAttribute("tabindex", "-1"); }
    current = item;
    item.node.setAttribute("tabindex", "0");
    item.node.focus();
  }
  var firstLane = lanes.filter(function (l) { return l.items.length; })[0];
  if (firstLane) { current = firstLane.items[0]; current.node.setAttribute("tabindex", "0"); }

  function centre(item) { return (item.span[0] + item.span[1]) / 2; }
  function nearest(laneNo, step, at) {
    for (var n = laneNo + step; n >= 0 && n < lanes.length; n += step) {
      if (lanes[n].items.length) {
        return lanes[n].items.reduce(function (best, it) {
          return Math.abs(centre(it) - at) < Math.abs(centre(best) - at) ? it : best;
        });
      }
    }
    return null;
  }

  // Past a lane's end, the next lane's first mark (or the previous lane's last).
  function edge(laneNo, step) {
    for (var n = laneNo + step; n >= 0 && n < lanes.length; n += step) {
      var items = lanes[n].items;
      if (items.length) { return step > 0 ? items[0] : items[items.length - 1]; }
    }
    return null;
  }

  svg.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest("a.mark");
    if (!node) { return; }
    var laneNo = Number(node.getAttribute("data-lane")), i = Number(node.getAttribute("data-index"));
    var lane = lanes[laneNo], item = lane.items[i], next = null;
    switch (event.key) {
      case "ArrowRight": next = lane.items[i + 1] || edge(laneNo, 1); break;
      case "ArrowLeft": next = lane.items[i - 1] || edge(laneNo, -1); break;
      case "ArrowDown": next = nearest(laneNo, 1, centre(item)); break;
      case "ArrowUp": next = nearest(laneNo, -1, centre(item)); break;
      case "Home": next = lane.items[0]; break;
      case "End": next = lane.items[lane.items.length - 1]; break;
      case "Enter": event.preventDefault(); window.location.href = node.getAttribute("href"); return;
      default: return;
    }
    event.preventDefault();
    if (next) {
      focusItem(next);
      var r = next.node.getBBox();
      if (r.x < box.scrollLeft + LABEL || r.x + r.width > box.scrollLeft + box.clientWidth) {
        box.scrollLeft = Math.max(0, r.x - LABEL - 20);
      }
    }
  });
  svg.addEventListener("focusin", function (event) {
    var node = event.target.closest && event.target.closest("a.mark");
    if (node && (!current || current.node !== node)) {
      var lane = lanes[Number(node.getAttribute("data-lane"))];
      focusItem(lane.items[Number(node.getAttribute("data-index"))]);
    }
  });
})();
