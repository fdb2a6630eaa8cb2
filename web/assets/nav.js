// The header menu on narrow screens: the links fold behind a Menu button
// (without this script they wrap onto more lines instead).
(function () {
  "use strict";

  var button = document.getElementById("menu-button");
  var links = document.getElementById("nav-links");
  if (!button || !links) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 48rem)");

  function apply() {
    if (narrow.matches) {
      button.hidden = false;
      links.classList.toggle("folded", button.getAttribute("aria-expanded") !== "true");
    } else {
      button.hidden = true;
      links.classList.remove("folded");
    }
  }

  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    apply();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      apply();
      button.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", apply);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", apply);
  } else {
    apply();
  }
})();

// Copy buttons: `data-copy` names the field whose value they copy.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.dataset.copy);
    if (!source) {
      return;
    }
    source.select();
    var done = function () {
      button.textContent = button.dataset.copied || button.textContent;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(source.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
