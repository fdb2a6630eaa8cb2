// The reply composer of a thread page. Without this script the form posts
// as a plain form (and a refused reply comes back as a saved draft). With
// it: what the member types is saved on the server as a draft a moment
// after they stop (and when they leave the page), so a reload, another
// device or a lock never loses it; a Preview shows the server's own
// rendering of the Markdown (side by side on wide screens, a tab on
// phones); and a lock pushed live turns the composer into a saved,
// read-only draft with an explanation.
// Elsewhere (a new thread, an edit) a preview under the Markdown field
// follows what is typed.
(function () {
  "use strict";

  if (!window.fetch) {
    return;
  }

  // Shows in `out` the server's rendering of `field`'s Markdown (the post
  // pipeline: sanitised), unless the text changed meanwhile.
  function preview(field, out, emptyText) {
    var text = field.value;
    if (!text.trim()) {
      out.textContent = emptyText;
      return;
    }
    fetch("/api/v1/preview", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ body: text })
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (result) {
      if (result && field.value === text) {
        out.innerHTML = result.html;
      }
    }).catch(function () {});
  }
  window.comityPreview = preview;

  Array.prototype.forEach.call(document.querySelectorAll("[data-preview-for]"), function (pane) {
    var field = document.getElementById(pane.dataset.previewFor);
    var out = pane.querySelector(".post-body");
    if (!field || !out) {
      return;
    }
    var timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { preview(field, out, pane.dataset.empty); }, 500);
    });
    pane.hidden = false;
    preview(field, out, pane.dataset.empty);
  });
})();

(function () {
  "use strict";

  var section = document.getElementById("composer");
  var form = document.getElementById("reply");
  var body = document.getElementById("reply-body");
  if (!section || !form || !body || !window.fetch || !window.comityPreview) {
    return;
  }
  var status = document.getElementById("draft-status");
  var lockedNotice = document.getElementById("composer-locked");
  var submit = form.querySelector("button[type=submit]");
  var replyTo = form.querySelector("input[name=reply_to]");
  var tabs = form.querySelector(".composer-tabs");
  var writeTab = document.getElementById("tab-write");
  var previewTab = document.getElementById("tab-preview");
  var writePane = document.getElementById("reply-write");
  var previewPane = document.getElementById("reply-preview");
  var previewBody = previewPane.querySelector(".post-body");
  var url = section.dataset.draftUrl;

  var saved = body.value;
  var saveTimer = null;
  var previewTimer = null;
  var inFlight = null;
  var submitting = false;

  function say(text) {
    status.textContent = text;
  }

  function save() {
    clearTimeout(saveTimer);
    var text = body.value;
    if (text === saved || submitting) {
      return inFlight || Promise.resolve();
    }
    say(section.dataset.saving);
    var reply = replyTo && replyTo.value ? Number(replyTo.value) : null;
    inFlight = fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      keepalive: text.length < 60000,
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ body: text, reply_to: reply })
    }).then(function (response) {
      if (response.ok) {
        saved = text;
        say(text.trim() ? section.dataset.saved : "");
      } else {
        say(section.dataset.unsaved);
      }
    }).catch(function () {
      say(section.dataset.unsaved);
    }).then(function () {
      inFlight = null;
    });
    return inFlight;
  }

  function renderPreview() {
    window.comityPreview(body, previewBody, section.dataset.previewEmpty);
  }

  function wide() {
    return window.matchMedia("(min-width: 60rem)").matches;
  }

  function showTab(preview) {
    writeTab.setAttribute("aria-selected", String(!preview));
    previewTab.setAttribute("aria-selected", String(preview));
    writeTab.tabIndex = preview ? -1 : 0;
    previewTab.tabIndex = preview ? 0 : -1;
    if (wide()) {
      writePane.hidden = false;
      previewPane.hidden = false;
    } else {
      writePane.hidden = preview;
      previewPane.hidden = !preview;
    }
    if (preview || wide()) {
      renderPreview();
    }
  }

  function layout() {
    form.classList.toggle("side-by-side", wide());
    tabs.hidden = wide();
    showTab(previewTab.getAttribute("aria-selected") === "true");
  }

  function setLocked(locked) {
    if (locked) {
      save();
      body.readOnly = true;
      submit.disabled = true;
      lockedNotice.textContent = section.dataset.locked;
      lockedNotice.hidden = false;
    } else {
      body.readOnly = false;
      submit.disabled = false;
      lockedNotice.hidden = true;
    }
  }

  body.addEventListener("input", function () {
    say("");
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 800);
    if (!previewPane.hidden) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(renderPreview, 400);
    }
  });
  writeTab.addEventListener("click", function () { showTab(false); body.focus(); });
  previewTab.addEventListener("click", function () { showTab(true); });
  tabs.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var toPreview = previewTab.getAttribute("aria-selected") !== "true";
      showTab(toPreview);
      (toPreview ? previewTab : writeTab).focus();
    }
  });
  window.addEventListener("resize", layout);
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(saveTimer);
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save();
    }
  });
  window.addEventListener("pagehide", function () { save(); });
  document.addEventListener("comity:locked", function (event) {
    if (!section.dataset.staff) {
      setLocked(event.detail.locked);
    }
  });

  layout();
})();

// Attachments: each chosen or dropped file is uploaded at once through the
// API with its own progress bar; the ids of finished uploads go into the
// form's `attachments` field, posted with the reply or the new thread.
(function () {
  document.querySelectorAll("[data-uploads]").forEach(function (box) {
    var input = box.querySelector("[data-upload-input]");
    var list = box.querySelector("[data-upload-list]");
    var ids = box.querySelector("[data-upload-ids]");
    box.hidden = false;
    function current() {
      return ids.value.split(",").filter(Boolean);
    }
    function send(file) {
      var item = document.createElement("li");
      item.className = "upload";
      var name = document.createElement("span");
      name.textContent = file.name;
      name.dir = "auto";
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", file.name);
      var status = document.createElement("span");
      status.className = "meta";
      status.setAttribute("role", "status");
      item.append(name, bar, status);
      list.appendChild(item);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/attachments");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      };
      xhr.onload = function () {
        var body = {};
        try {
          body = JSON.parse(xhr.responseText);
        } catch (e) {}
        if (xhr.status === 201) {
          bar.value = 100;
          var id = String(body.id);
          item.dataset.id = id;
          ids.value = current().concat([id]).join(",");
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "small-button";
          remove.textContent = box.dataset.remove;
          remove.addEventListener("click", function () {
            ids.value = current().filter(function (i) { return i !== id; }).join(",");
            item.remove();
          });
          item.appendChild(remove);
        } else {
          item.classList.add("failed");
          status.textContent = box.dataset.failed + ": " + ((body.error && body.error.message) || xhr.status);
        }
      };
      xhr.onerror = function () {
        item.classList.add("failed");
        status.textContent = box.dataset.failed;
      };
      var form = new FormData();
      form.append("file", file);
      xhr.send(form);
    }
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, send);
      input.value = "";
    });
    box.addEventListener("dragover", function (e) {
      e.preventDefault();
      box.classList.add("dragging");
    });
    box.addEventListener("dragleave", function () {
      box.classList.remove("dragging");
    });
    box.addEventListener("drop", function (e) {
      e.preventDefault();
      box.classList.remove("dragging");
      Array.prototype.forEach.call(e.dataTransfer.files, send);
    });
  });
})();
