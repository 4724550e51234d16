// A filter box over the table inside each .garden-filter (the topic index): typing keeps the
// rows whose text holds every word typed. Without JavaScript the whole table shows.
// Material's instant navigation swaps page bodies: document$ emits for each new page.
(function () {
  "use strict";

  function attach(root) {
    root.querySelectorAll(".garden-filter").forEach(function (holder) {
      var table = holder.querySelector("table");
      if (!table || holder.querySelector(".garden-filter__input")) return;
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var input = document.createElement("input");
      input.type = "search";
      input.className = "garden-filter__input md-input";
      input.placeholder = "Filter " + rows.length + " topics";
      input.setAttribute("aria-label", "Filter the topics");
      var status = document.createElement("p");
      status.className = "garden-filter__status";
      status.setAttribute("aria-live", "polite");
      var text = rows.map(function (row) { return row.textContent.toLowerCase(); });
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row, i) {
          var keep = words.every(function (w) { return text[i].indexOf(w) !== -1; });
          row.hidden = !keep;
          if (keep) shown += 1;
        });
        status.textContent = words.length ? shown + " of " + rows.length + " topics" : "";
      });
      holder.insertBefore(status, holder.firstChild);
      holder.insertBefore(input, status);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { attach(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { attach(document.body); });
  }
})();
