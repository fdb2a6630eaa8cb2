// Keeps the unread count beside the Inbox link live: subscribes to the
// member's `inbox` topic and shows the count each notification carries.
// Without JavaScript the count is the one the page was rendered with.
(function () {
  "use strict";
  var badge = document.getElementById("unread-count");
  var number = document.getElementById("unread-number");
  // A thread page's live connection carries the inbox too: one socket
  // per page.
  if (!badge || !number || !window.WebSocket || document.getElementById("posts")) return;
  var delay = 1000;
  function show(unread) {
    number.textContent = String(unread);
    badge.hidden = unread === 0;
  }
  var socket = null;
  var leaving = false;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws");
    socket.addEventListener("open", function () {
      delay = 1000;
      socket.send(JSON.stringify({ type: "subscribe", topics: ["inbox"] }));
    });
    socket.addEventListener("message", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      if (data.type === "event" && data.kind === "notification" && typeof data.unread === "number") {
        show(data.unread);
      }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      // 1008: the session ended; do not retry. Leaving: the next page
      // has its own.
      if (event.code === 1008 || leaving) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }
  // Close at once when the page goes away (or into the back/forward
  // cache), so the server frees the connection before the next page opens
  // its own; reopen when the page comes back.
  window.addEventListener("pagehide", function () {
    leaving = true;
    if (socket) socket.close(1000);
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      leaving = false;
      if (!socket) connect();
    }
  });
  connect();
})();
