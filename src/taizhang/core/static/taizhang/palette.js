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

  // How wide ``text`` is in the page's font at ``size`` px (a canvas measures it as it is drawn).
  var ruler = document.createElement("canvas").getContext("2d");
  function textWidth(text, size) {
    ruler.font = (size || 12) + "px " + font();
    return ruler.measureText(String(text)).width;
  }

  // Break a label into lines of at most ``size`` characters (a CJK character is one; Latin text,
  // about half as wide a letter, gets twice as many, a word kept whole), so a long area or unit
  // name wraps instead of being cut off, in the same room in either language.
  function wrap(text, size) {
    text = String(text);
    if (/\s/.test(text)) {
      var room = size * 2, lines = [], line = "";
      if (text.length <= room) return text;
      text.split(/\s+/).forEach(function (word) {
        if (line && (line + " " + word).length > room) { lines.push(line); line = word; }
        else line = line ? line + " " + word : word;
      });
      if (line) lines.push(line);
      return lines.join("\n");
    }
    if (text.length <= size) return text;
    var per = Math.ceil(text.length / Math.ceil(text.length / size)), out = [];  // lines of even length
    for (var i = 0; i < text.length; i += per) out.push(text.slice(i, i + per));
    return out.join("\n");
  }

  // The longest word of ``names`` in px: Latin words do not break, so a narrow column that cannot
  // hold one turns its labels on their side.
  function longestWord(names, size) {
    var most = 0;
    names.forEach(function (n) {
      String(n).split(/\s+/).forEach(function (w) { most = Math.max(most, /[\u3400-\u9fff]/.test(w) ? 0 : textWidth(w, size)); });
    });
    return most;
  }

  // How tall a plain legend of ``names`` is in ``el`` (ECharts lays it in rows: a 25 px swatch, 5 px,
  // the text, then the 8 px item gap; 5 px padding each side), so the plot starts just below it.
  function legendHeight(el, names, size) {
    var width = el.clientWidth - 10, row = 0, rows = 1;
    names.forEach(function (n) {
      var w = 25 + 5 + textWidth(n, size || 12) + 8;
      if (row && row + w - 8 > width) { rows += 1; row = 0; }
      row += w;
    });
    return rows * 22;
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

  window.taizhangCharts = { font: font, wrap: wrap, textWidth: textWidth, longestWord: longestWord, legendHeight: legendHeight, topSeries: topSeries, narrow: narrow, MAX_SERIES: MAX_SERIES };
})();
