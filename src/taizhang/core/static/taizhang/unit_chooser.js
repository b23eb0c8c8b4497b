// The unit chooser: a search box beside every unit select (core.forms.UnitField) that narrows its
// options to the units whose name or code holds the words typed, keeping the units above each
// match so the tree still reads. A select that lists only part of a long tree (it carries
// data-search-url) asks the server instead (org.views.unit_search) and shows what it answers.
// The select works without this file too.
(function () {
  // the page's language, read by nav.js (loaded before this file)
  var message = window.taizhangMessage || function (key, fallback) { return fallback; };

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

  // Worth asking the server: one Chinese character, or two letters or digits.
  function enough(words) {
    return words.length >= 2 || /[^\x00-\x7f]/.test(words);
  }

  // The options become ``options``; the empty one and the one chosen stay, the chosen one first
  // when it is not among them.
  function show(select, options) {
    var chosen = select.options[select.selectedIndex];
    var empty = select.options.length && select.options[0].value === "" ? select.options[0] : null;
    var keep = chosen && chosen.value && !options.some(function (o) { return o.value === chosen.value; });
    select.replaceChildren.apply(
      select, [empty, keep ? chosen : null].filter(Boolean).concat(options)
    );
    if (chosen) select.value = chosen.value;
  }

  function ask(select, input, url) {
    var listed = Array.prototype.slice.call(select.options); // the short tree the page drew
    var timer = null;
    var asked = 0; // only the answer to the latest words is shown
    input.addEventListener("input", function () {
      var words = input.value.trim();
      clearTimeout(timer);
      asked += 1;
      if (!words) { show(select, listed.filter(function (o) { return o.value; })); return; }
      if (!enough(words)) return;
      var mine = asked;
      timer = setTimeout(function () {
        var address = new URL(url, window.location.href);
        address.searchParams.set("q", words);
        fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (answer) {
            if (!answer || mine !== asked) return;
            var options = answer.results.map(function (unit) {
              return new Option(unit.label, unit.code);
            });
            if (answer.more) {
              var more = new Option(message("moreUnits", "……还有更多单位，请输入更完整的名称"), "");
              more.disabled = true;
              options.push(more);
            }
            show(select, options);
            var first = answer.results.filter(function (unit) { return unit.match; })[0];
            if (first) select.value = first.code; // as the narrowing does: the first match is chosen
          })
          .catch(function () {}); // offline: the options stay as they were
      }, 250);
    });
  }

  function attach(select) {
    var url = select.getAttribute("data-search-url");
    if (!url && select.options.length < 8) return; // a short list needs no search
    var input = document.createElement("input");
    input.type = "search";
    input.className = "unit-search";
    input.placeholder = message("search", "搜索单位");
    input.setAttribute("aria-label", message("searchLabel", "搜索单位（名称或代码）"));
    select.insertAdjacentElement("afterend", input);
    if (url) {
      ask(select, input, url);
    } else {
      input.addEventListener("input", function () { narrow(select, input.value.trim()); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-unit-chooser]").forEach(attach);
  });
})();
