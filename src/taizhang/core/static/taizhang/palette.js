// Series colours that stay distinct however many series a chart has (ECharts' default palette has
// nine, so a tenth kind repeated the first one's blue). The first twenty are fixed, chosen apart in
// hue and lightness; past them, hues step by the golden angle so no two are alike.
(function () {
  var fixed = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94",
    "#f7b6d2", "#393b79", "#637939", "#8c6d31",
  ];
  window.taizhangPalette = function (n) {
    var out = fixed.slice(0, n);
    for (var i = fixed.length; i < n; i++) {
      var hue = Math.round((i * 137.508) % 360);
      out.push("hsl(" + hue + ", " + (55 + (i % 3) * 12) + "%, " + (38 + (i % 4) * 9) + "%)");
    }
    return out;
  };
})();
