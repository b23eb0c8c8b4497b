// Monthly activity counts of the unit page as a stacked bar chart (ECharts, served from our static files).
(function () {
  var holder = document.getElementById("chart");
  var source = document.getElementById("chart-data");
  if (!holder || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var chart = window.echarts.init(holder);
  chart.setOption({
    // one colour per series however many kinds there are (the default palette repeats after nine)
    color: window.taizhangPalette ? window.taizhangPalette(data.series.length) : undefined,
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 56 },
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", minInterval: 1 },
    series: data.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "total", data: s.data };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
