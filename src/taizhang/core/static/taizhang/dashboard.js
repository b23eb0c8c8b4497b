// The leader's dashboard: each chart drawn from the aggregated table the server rendered beside it
// (a <script type="application/json"> per chart). Clicking a figure opens the records behind it,
// the same link the table's cell carries.
(function () {
  if (!window.echarts) return;
  var palette = window.taizhangPalette;

  function open(href) { if (href) window.location.href = href; }

  function heatmap(el, d) {
    var units = d.header.slice(1);
    var areas = d.rows.map(function (r) { return r[0]; });
    var points = [];
    d.rows.forEach(function (row, y) {
      row.slice(1).forEach(function (v, x) { if (v !== null) points.push([x, y, v]); });
    });
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      // unit and area names are people's text: encoded, never read as HTML
      tooltip: { formatter: function (p) {
        var esc = echarts.format.encodeHTML;
        return esc(units[p.value[0]]) + "<br>" + esc(areas[p.value[1]]) + "：" + p.value[2] + "%";
      } },
      grid: { left: 90, right: 16, top: 8, bottom: 90 },
      xAxis: { type: "category", data: units, axisLabel: { interval: 0, rotate: units.length > 8 ? 40 : 0 } },
      yAxis: { type: "category", data: areas, inverse: true },
      visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0,
                   itemHeight: 120, inRange: { color: ["#c23531", "#f2c14e", "#3a9d5d"] }, text: ["100%", "0%"] },
      series: [{ type: "heatmap", data: points, label: { show: units.length <= 20 } }],
    });
    chart.on("click", function (p) { open(d.links[p.value[1]][p.value[0] + 1]); });
    return chart;
  }

  function bars(el, d, opts) {
    // columns 1.. of each row are series; rows are categories (ranking, reporting)
    var cats = d.rows.map(function (r) { return r[opts.label]; });
    var names = opts.series.map(function (i) { return d.header[i]; });
    var colours = palette(names.length);
    var chart = echarts.init(el);
    chart.setOption({
      color: colours,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 80 },
      xAxis: { type: "category", data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 35 : 0 } },
      yAxis: { type: "value" },
      series: opts.series.map(function (i, k) {
        return { name: names[k], type: "bar", data: d.rows.map(function (r) { return r[i]; }) };
      }),
    });
    chart.on("click", function (p) { open(d.links[p.dataIndex][opts.series[p.seriesIndex]]); });
    return chart;
  }

  function trend(el, d) {
    var months = d.header.slice(1);
    var kinds = d.rows.slice(0, -2);
    var last = d.rows[d.rows.length - 1];
    var colours = palette(kinds.length + 1);
    var series = kinds.map(function (r) {
      return { name: r[0], type: "bar", stack: "this", data: r.slice(1) };
    });
    series.push({ name: last[0], type: "line", data: last.slice(1), lineStyle: { type: "dashed" } });
    var chart = echarts.init(el);
    chart.setOption({
      color: colours,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value", minInterval: 1 },
      series: series,
    });
    chart.on("click", function (p) {
      var row = p.seriesIndex < kinds.length ? p.seriesIndex : d.rows.length - 1;
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
    else if (d.key === "ranking") charts.push(bars(el, d, { label: 1, series: [2] }));
    else charts.push(bars(el, d, { label: 0, series: d.header.map(function (_, i) { return i; }).slice(1) }));
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
