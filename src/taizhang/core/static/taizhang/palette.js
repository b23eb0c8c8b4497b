// What every chart shares: a palette whose neighbours are told apart, the page's own font, at most
// eight series (the rest summed as 其他), and labels that fit a 360 px phone.
(function () {
  // Okabe & Ito's eight colours, ordered so that neighbours in a stack or a legend differ in hue and
  // lightness (tests/core/test_charts.py checks every neighbouring pair's CIE ΔE); 其他 is grey.
  var fixed = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#332288"];
  var OTHER = "#9a9a9a";
  var MAX_SERIES = 8;

  // More than eight: the extra ones step round the hue circle by the golden angle (a table beside
  // every chart lists them all in any case).
  window.taizhangPalette = function (n) {
    var out = fixed.slice(0, n);
    for (var i = fixed.length; i < n; i++) {
      var hue = Math.round((i * 137.508) % 360);
      out.push("hsl(" + hue + ", " + (55 + (i % 3) * 12) + "%, " + (38 + (i % 4) * 9) + "%)");
    }
    return out;
  };
  window.taizhangPalette.other = OTHER;

  // The page's font (the CJK face in either language), not ECharts' serif fallback.
  function font() {
    return window.getComputedStyle(document.body).fontFamily || "sans-serif";
  }

  // Break a label into lines of at most ``size`` characters (a CJK character is one; a Latin word
  // is kept whole), so a long area or unit name wraps instead of being cut off.
  function wrap(text, size) {
    text = String(text);
    if (text.length <= size) return text;
    if (/\s/.test(text)) {
      var lines = [], line = "";
      text.split(/\s+/).forEach(function (word) {
        if (line && (line + " " + word).length > size) { lines.push(line); line = word; }
        else line = line ? line + " " + word : word;
      });
      if (line) lines.push(line);
      return lines.join("\n");
    }
    var out = [];
    for (var i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out.join("\n");
  }

  // Series beyond the first seven by total, summed as one "其他" series: [{name, data, rows}], where
  // ``rows`` are the indices of the series summed (to open their records).
  function topSeries(series, otherLabel) {
    if (series.length <= MAX_SERIES) {
      return series.map(function (s, i) { return { name: s.name, data: s.data, rows: [i] }; });
    }
    var total = function (s) { return s.data.reduce(function (a, b) { return a + (b || 0); }, 0); };
    var order = series.map(function (s, i) { return i; }).sort(function (a, b) { return total(series[b]) - total(series[a]) || a - b; });
    var kept = order.slice(0, MAX_SERIES - 1).sort(function (a, b) { return a - b; });
    var rest = order.slice(MAX_SERIES - 1);
    var out = kept.map(function (i) { return { name: series[i].name, data: series[i].data, rows: [i] }; });
    var sum = series[0].data.map(function (_, m) {
      return rest.reduce(function (a, i) { return a + (series[i].data[m] || 0); }, 0);
    });
    out.push({ name: otherLabel || "其他", data: sum, rows: rest, other: true });
    return out;
  }

  function narrow(el) { return el.clientWidth < 600; }

  window.taizhangCharts = { font: font, wrap: wrap, topSeries: topSeries, narrow: narrow, MAX_SERIES: MAX_SERIES };
})();
