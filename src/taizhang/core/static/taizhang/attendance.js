// The attendance grid: one click marks everyone not yet filled in as present (most people attend).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-mark-all]");
  if (!button) return;
  document.querySelectorAll("table.attendance select").forEach(function (select) {
    if (!select.value) select.value = button.dataset.markAll;
  });
});
