// One menu open at a time; a click elsewhere closes it. The menus work without this file too.
document.addEventListener("click", function (event) {
  document.querySelectorAll("details.menu[open]").forEach(function (menu) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Words the scripts write, in the page's language (core.context_processors.script_messages).
window.taizhangMessage = function (key, fallback) {
  var data = document.getElementById("taizhang-messages");
  try { return (data && JSON.parse(data.textContent)[key]) || fallback; } catch (e) { return fallback; }
};

// A table wider than the screen scrolls sideways; keyboard users reach it with Tab and scroll it
// with the arrow keys (WCAG 2.1.1), so a region that scrolls is made focusable and named.
function focusableScrollers() {
  document.querySelectorAll("table.grid, .matrix-scroll").forEach(function (region) {
    if (region.scrollWidth > region.clientWidth + 1 && !region.hasAttribute("tabindex")) {
      region.setAttribute("tabindex", "0");
      if (!region.hasAttribute("aria-label") && region.tagName !== "TABLE") region.setAttribute("aria-label", window.taizhangMessage("scroll", "可横向滚动的表格"));
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableScrollers);
window.addEventListener("resize", focusableScrollers);

// On a phone the header's menus fold behind one button: three rows of menus pushed every page down.
document.addEventListener("DOMContentLoaded", function () {
  var header = document.querySelector("header.top");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) return;
  header.classList.add("foldable");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
