// Typeahead for the multi-select pickers (jurisdictions, instruments) of the
// new-thread and compare forms. Without this script the pickers are plain
// <select multiple> lists and still work.
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select) {
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "picker-filter";
    filter.setAttribute("aria-label", select.dataset.filterLabel || "");
    filter.placeholder = select.dataset.filterLabel || "";
    filter.setAttribute("aria-controls", select.id);
    select.parentNode.insertBefore(filter, select);

    var chosen = document.createElement("p");
    chosen.className = "picker-chosen meta";
    chosen.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(chosen, select.nextSibling);

    function showChosen() {
      var labels = [];
      Array.prototype.forEach.call(select.selectedOptions, function (o) {
        labels.push(o.value);
      });
      chosen.textContent = labels.join(", ");
    }

    filter.addEventListener("input", function () {
      var words = normalise(filter.value).split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(select.options, function (o) {
        var text = normalise(o.textContent + " " + o.value + " " + (o.dataset.search || ""));
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        o.hidden = !(match || o.selected);
      });
    });

    // A click toggles one option without Ctrl, as a checklist would.
    select.addEventListener("mousedown", function (e) {
      if (e.target.tagName !== "OPTION") return;
      e.preventDefault();
      e.target.selected = !e.target.selected;
      select.focus();
      showChosen();
    });
    select.addEventListener("change", showChosen);
    showChosen();
  }

  function analysisFields() {
    var fields = document.getElementById("analysis-fields");
    if (!fields) return;
    var radios = document.querySelectorAll("input[name=kind]");
    function sync() {
      var checked = document.querySelector("input[name=kind]:checked");
      fields.hidden = !(checked && checked.value === "analysis");
    }
    Array.prototype.forEach.call(radios, function (r) { r.addEventListener("change", sync); });
    sync();
  }

  Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), enhance);
  analysisFields();
})();

// Search-as-you-type: fills the query box's datalist with titles the
// member may see. The search form works the same without it.
(function () {
  "use strict";
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null;
  var last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === last) return;
      last = q;
      fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (titles) {
          if (input.value.trim() !== q) return;
          while (list.firstChild) list.removeChild(list.firstChild);
          titles.forEach(function (t) {
            var option = document.createElement("option");
            option.value = t.title;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
