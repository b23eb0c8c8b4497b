// Monthly activity counts of the unit page as a stacked bar chart (ECharts, served from our static
// files): at most eight kinds, the rest summed as 其他 (the table above lists every kind), in the
// page's font, with a legend that wraps rather than pages.
(function () {
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var C = window.taizhangCharts;
  var shown = C.topSeries(data.series, data.other);
  var colours = window.taizhangPalette(shown.length).map(function (c, i) {
    return shown[i].other ? window.taizhangPalette.other : c;
  });
  var legend = C.legendHeight(holder, shown.map(function (s) { return s.name; }));
  holder.style.height = 260 + legend + "px";
  var chart = window.echarts.init(holder);
  chart.setOption({
    textStyle: { fontFamily: C.font() },
    color: colours,
    tooltip: { trigger: "axis" },
    legend: { type: "plain", top: 0, itemGap: 8, textStyle: { fontSize: 12 } },
    grid: { left: 8, right: 12, top: legend + 12, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months, axisLabel: { interval: C.narrow(holder) && data.months.length > 6 ? 1 : 0 } },
    yAxis: { type: "value", minInterval: 1 },
    series: shown.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", data: s.data };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
