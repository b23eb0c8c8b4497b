// The attendance grid: one click marks everyone not yet marked as present (most people attend).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-mark-all]");
  if (!button) return;
  document.querySelectorAll("table.attendance fieldset.choices").forEach(function (row) {
    var none = row.querySelector('input[type=radio][value=""]');
    if (none && none.checked) {
      var mark = row.querySelector('input[type=radio][value="' + button.dataset.markAll + '"]');
      if (mark) mark.checked = true;
    }
  });
});

// Under the kind: what a record of that kind needs to count toward the unit's requirements
// (rules.counting), so the clerk knows before saving that a study without its minutes will not count.
document.addEventListener("change", function (event) {
  if (!event.target.matches("form.record select[name=kind]")) return;
  var data = document.getElementById("kind-needs-data"), line = document.getElementById("kind-needs");
  if (!data || !line) return;
  line.textContent = JSON.parse(data.textContent)[event.target.value] || "";
});
