/* Draws the /charts/ page's three charts with Apache ECharts from the page's JSON data blocks.
   Static file (no inline script, so a strict CSP holds); each chart also has a table on the page. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  // Distinct hues, each dark enough to read on white; the network uses the first three (region, agreement, mechanism).
  var PALETTE = ["#1f4e8c", "#c2410c", "#15803d", "#7e22ce", "#0e7490", "#be123c", "#b45309", "#4d7c0f"];

  function data(name) {
    var block = document.getElementById("chart-data-" + name);
    return block ? JSON.parse(block.textContent) : null;
  }

  function open(url) { if (url) { window.location.href = url; } }

  function start(name, option, onClick) {
    var el = document.querySelector('[data-chart="' + name + '"]');
    if (!el) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    option.color = PALETTE;
    option.aria = { enabled: true };
    // Still pictures: no fade-in or growing bars (kinder to readers who dislike motion, and screenshots show the data).
    option.animation = false;
    option.textStyle = { fontFamily: getComputedStyle(document.body).fontFamily };
    chart.setOption(option);
    if (onClick) { chart.on("click", onClick); }
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "true");
    return chart;
  }

  var byYear = data("by-year");
  if (byYear) {
    start("by-year", {
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 40, bottom: 30, containLabel: true },
      xAxis: { type: "category", data: byYear.years.map(String) },
      yAxis: { type: "value", name: byYear.axis, minInterval: 1 },
      series: byYear.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "regions", data: s.data, emphasis: { focus: "series" } };
      })
    });
  }

  var byCategory = data("by-category");
  if (byCategory) {
    start("by-category", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },
      grid: { left: 10, right: 24, top: 40, bottom: 36, containLabel: true },
      xAxis: { type: "value", name: byCategory.axis, nameLocation: "middle", nameGap: 26, minInterval: 1 },
      yAxis: { type: "category", data: byCategory.categories, inverse: true },
      series: byCategory.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "regions", data: s.data, emphasis: { focus: "series" } };
      })
    }, function (params) {
      var series = byCategory.series[params.seriesIndex];
      if (series && params.value) { open(series.urls[params.dataIndex]); }
    });
  }

  var network = data("network");
  if (network) {
    var sizes = [26, 12, 8];
    start("network", {
      tooltip: { formatter: function (p) { return p.dataType === "node" ? p.data.name : ""; } },
      legend: { top: 0, data: network.categories },
      series: [{
        type: "graph",
        layout: "force",
        // Laid out at once, not animated: the picture is still when the page is read or tested.
        force: { repulsion: 70, edgeLength: [20, 60], gravity: 0.3, layoutAnimation: false },
        zoom: 1.05,
        roam: true,
        draggable: false,
        categories: network.categories.map(function (name) { return { name: name }; }),
        data: network.nodes.map(function (n) {
          return { id: n.id, name: n.name, category: n.category, url: n.url, symbolSize: sizes[n.category],
                   label: { show: n.category === 0 } };
        }),
        links: network.links,
        lineStyle: { color: "#98a2b3", opacity: 0.7 },
        label: { position: "right", fontSize: 12, color: "#1d2330" },
        emphasis: { focus: "adjacency", label: { show: true } }
      }]
    }, function (params) {
      if (params.dataType === "node") { open(params.data.url); }
    });
  }
})();
