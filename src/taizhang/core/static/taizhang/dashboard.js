// The leader's dashboard: each chart drawn from the aggregated table the server rendered beside it
// (a <script type="application/json"> per chart). Clicking a figure opens the records behind it,
// the same link the table's cell carries. On a phone (under 600 px) the comparisons lie on their
// side: units down the page, where their names fit, rather than across it.
(function () {
  if (!window.echarts) return;
  var palette = window.taizhangPalette;
  var C = window.taizhangCharts;
  var text = { fontFamily: C.font() };
  var esc = function (s) { return echarts.format.encodeHTML(String(s)); };

  function open(href) { if (href) window.location.href = href; }

  // Five classes a reader tells apart (ColorBrewer RdYlGn): 57 and 67 fall in different ones.
  var CLASSES = [
    { min: 0, max: 19.99, color: "#d7191c", label: "0–19%" },
    { min: 20, max: 39.99, color: "#fdae61", label: "20–39%" },
    { min: 40, max: 59.99, color: "#ffffbf", label: "40–59%" },
    { min: 60, max: 79.99, color: "#a6d96a", label: "60–79%" },
    { min: 80, max: 100, color: "#1a9641", label: "80–100%" },
  ];

  function heatmap(el, d) {
    var units = d.header.slice(1);
    var areas = d.rows.map(function (r) { return r[0]; });
    var side = C.narrow(el);  // units down the side on a phone
    var points = [];
    d.rows.forEach(function (row, a) {
      row.slice(1).forEach(function (v, u) { if (v !== null) points.push(side ? [a, u, v] : [u, a, v]); });
    });
    var unitAxis = { type: "category", data: units, axisLabel: { interval: 0, formatter: function (v) { return C.wrap(v, side ? 8 : 4); } } };
    // An area's name: two lines beside the rows on a desktop; over a phone's narrow columns, Chinese
    // in lines of three, and English on its side when a word is wider than its column.
    var column = (el.clientWidth - 100) / Math.max(1, areas.length);
    var turned = side && C.longestWord(areas, 11) > column - 4;
    var areaAxis = { type: "category", data: areas, axisLabel: { interval: 0, fontSize: side ? 11 : 12, lineHeight: side ? 13 : 15,
                     rotate: turned ? 90 : 0,
                     formatter: function (v) { return turned ? v : C.wrap(v, side ? 3 : 10); } } };
    var top = turned ? Math.max.apply(null, areas.map(function (a) { return C.textWidth(a, 11); })) + 20 : 60;
    el.style.height = (side ? units.length * 30 + 80 + top : areas.length * 44 + 150) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: text,
      // unit and area names are people's text: encoded, never read as HTML
      tooltip: { formatter: function (p) {
        var u = side ? p.value[1] : p.value[0], a = side ? p.value[0] : p.value[1];
        return esc(units[u]) + "<br>" + esc(areas[a]) + ": " + p.value[2] + "%";
      } },
      grid: { left: 8, right: 8, top: 8, bottom: 48, containLabel: true },
      xAxis: side ? Object.assign(areaAxis, { position: "top" }) : unitAxis,
      yAxis: Object.assign(side ? unitAxis : areaAxis, { inverse: true }),
      visualMap: { type: "piecewise", pieces: CLASSES, orient: "horizontal", left: "center", bottom: 0,
                   itemWidth: side ? 10 : 14, itemGap: side ? 3 : 6, textStyle: { fontSize: side ? 10 : 11 } },
      series: [{ type: "heatmap", data: points, label: { show: true, fontSize: 11, color: "#1f2328" },
                 itemStyle: { borderColor: "#fff", borderWidth: 1 } }],
    });
    chart.on("click", function (p) {
      var u = side ? p.value[1] : p.value[0], a = side ? p.value[0] : p.value[1];
      open(d.links[a][u + 1]);
    });
    return chart;
  }

  // Units and their figures as bars lying on their side: every name fits on its own line.
  function sideways(el, d, opts) {
    var cats = d.rows.map(function (r) { return r[opts.label]; });
    var names = opts.series.map(function (i) { return d.header[i]; });
    var per = Math.max(24, names.length * 7 + 12);
    var legend = names.length > 1 ? C.legendHeight(el, names) : 0;
    el.style.height = cats.length * per + 40 + legend + "px";
    var chart = echarts.init(el);
    chart.setOption({
      textStyle: text,
      color: palette(names.length),
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: names.length > 1 ? { bottom: 0, textStyle: { fontSize: 11 } } : undefined,
      grid: { left: 8, right: 36, top: 8, bottom: legend + 8, containLabel: true },
      yAxis: { type: "category", data: cats, inverse: true, axisLabel: { interval: 0, formatter: function (v) { return C.wrap(v, 8); } } },
      xAxis: { type: "value", minInterval: 1 },
      series: opts.series.map(function (i, k) {
        return { name: names[k], type: "bar", data: d.rows.map(function (r) { return r[i]; }),
                 label: { show: names.length === 1, position: "right", fontSize: 11 } };
      }),
    });
    chart.on("click", function (p) { open(d.links[p.dataIndex][opts.series[p.seriesIndex]]); });
    return chart;
  }

  function columns(el, d, opts) {
    var cats = d.rows.map(function (r) { return r[opts.label]; });
    var names = opts.series.map(function (i) { return d.header[i]; });
    var chart = echarts.init(el);
    chart.setOption({
      textStyle: text,
      color: palette(names.length),
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 8, right: 16, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: cats, axisLabel: { interval: 0, formatter: function (v) { return C.wrap(v, 4); } } },
      yAxis: { type: "value", minInterval: 1 },
      series: opts.series.map(function (i, k) {
        return { name: names[k], type: "bar", data: d.rows.map(function (r) { return r[i]; }) };
      }),
    });
    chart.on("click", function (p) { open(d.links[p.dataIndex][opts.series[p.seriesIndex]]); });
    return chart;
  }

  function trend(el, d) {
    var months = d.header.slice(1);
    var kinds = d.rows.slice(0, -2).map(function (r) { return { name: r[0], data: r.slice(1) }; });
    var thisYear = d.rows.length - 2;
    var last = d.rows[d.rows.length - 1];
    var shown = C.topSeries(kinds, d.other);  // at most eight, the rest as 其他
    var colours = palette(shown.length).map(function (c, i) { return shown[i].other ? palette.other : c; });
    var series = shown.map(function (s) { return { name: s.name, type: "bar", stack: "this", data: s.data }; });
    series.push({ name: last[0], type: "line", data: last.slice(1), lineStyle: { type: "dashed", color: "#1f2328" },
                  itemStyle: { color: "#1f2328" }, symbolSize: 5 });
    var legend = C.legendHeight(el, series.map(function (s) { return s.name; }));
    el.style.height = 280 + legend + "px";
    var chart = echarts.init(el);
    chart.setOption({
      textStyle: text,
      color: colours,
      tooltip: { trigger: "axis" },
      legend: { type: "plain", top: 0, itemGap: 8, textStyle: { fontSize: 12 } },
      grid: { left: 8, right: 12, top: legend + 12, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: months, axisLabel: { interval: C.narrow(el) ? 1 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: series,
    });
    chart.on("click", function (p) {
      var s = shown[p.seriesIndex];
      // one kind: its records that month; 其他 or last year's line: the month's total
      var row = s && !s.other ? s.rows[0] : (s ? thisYear : d.rows.length - 1);
      open(d.links[row][p.dataIndex + 1]);
    });
    return chart;
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById("chart-data-" + el.dataset.chart);
    if (!source) return;
    var d = JSON.parse(source.textContent);
    if (d.kind === "heatmap") charts.push(heatmap(el, d));
    else if (d.kind === "trend") charts.push(trend(el, d));
    else if (d.key === "ranking") charts.push(sideways(el, d, { label: 1, series: [2] }));
    else {
      var opts = { label: 0, series: d.header.map(function (_, i) { return i; }).slice(1) };
      charts.push(C.narrow(el) ? sideways(el, d, opts) : columns(el, d, opts));
    }
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
