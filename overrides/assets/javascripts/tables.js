/* Sort and filter the data tables rendered by the data_tables hook. No dependencies. */
(function () {
  "use strict";
  function cellValue(row, index) {
    var cell = row.cells[index];
    return cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
  }
  function compare(a, b) {
    var na = parseFloat(a), nb = parseFloat(b);
    if (!isNaN(na) && !isNaN(nb) && String(na) === a && String(nb) === b) return na - nb;
    return a.localeCompare(b, document.documentElement.lang || undefined, { numeric: true });
  }
  function setup(table) {
    if (table.dataset.ready) return;
    table.dataset.ready = "1";
    var body = table.tBodies[0];
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var result = compare(cellValue(r1, index), cellValue(r2, index));
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    var input = document.getElementById(table.id + "-filter");
    var status = document.getElementById(table.id + "-count");
    if (input) {
      input.addEventListener("input", function () {
        var needle = input.value.toLocaleLowerCase();
        var shown = 0;
        Array.prototype.forEach.call(body.rows, function (row) {
          var match = row.textContent.toLocaleLowerCase().indexOf(needle) !== -1;
          row.hidden = !match;
          if (match) shown += 1;
        });
        if (status) status.textContent = shown;
      });
    }
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.data-table"), setup);
    /* Wide tables scroll sideways: keyboard users must be able to reach and scroll them
       (WCAG 2.1.1; axe scrollable-region-focusable). */
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset__scrollwrap"),
      function (wrap) {
        if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      });
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
