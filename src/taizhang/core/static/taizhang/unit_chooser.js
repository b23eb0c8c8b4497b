// The unit chooser: a search box beside every unit select (core.forms.UnitField) that narrows its
// options to the units whose name or code holds the words typed, keeping the units above each
// match so the tree still reads. The select works without this file too.
(function () {
  function depth(option) {
    var n = 0;
    while (option.text.charAt(n) === "\u3000") n += 1;
    return n;
  }

  function narrow(select, words) {
    var options = Array.prototype.slice.call(select.options);
    var shown = options.map(function (option) {
      return !words || option.value === "" ||
        option.text.indexOf(words) !== -1 || option.value.indexOf(words) !== -1;
    });
    options.forEach(function (option, i) {
      if (!words || !shown[i] || option.value === "") return;
      var need = depth(option);
      for (var j = i - 1; j >= 0 && need > 0; j -= 1) {
        var d = depth(options[j]);
        if (d < need) { shown[j] = true; need = d; }
      }
    });
    options.forEach(function (option, i) { option.hidden = !shown[i]; });
    var chosen = select.options[select.selectedIndex];
    if (words && chosen && chosen.hidden) {
      var first = options.filter(function (o, i) { return shown[i] && o.value; })[0];
      if (first) select.value = first.value;
    }
  }

  function attach(select) {
    if (select.options.length < 8) return; // a short list needs no search
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-search";
    input.placeholder = "搜索单位";
    input.setAttribute("aria-label", "搜索单位（名称或代码）");
    select.insertAdjacentElement("afterend", input);
    input.addEventListener("input", function () { narrow(select, input.value.trim()); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-unit-chooser]").forEach(attach);
  });
})();
