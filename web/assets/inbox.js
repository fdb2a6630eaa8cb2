// Keeps the unread count beside the Inbox link live: subscribes to the
// member's `inbox` topic and shows the count each notification carries.
// Without JavaScript the count is the one the page was rendered with.
(function () {
  "use strict";
  var badge = document.getElementById("unread-count");
  var number = document.getElementById("unread-number");
  if (!badge || !number || !window.WebSocket) return;
  var delay = 1000;
  function show(unread) {
    number.textContent = String(unread);
    badge.hidden = unread === 0;
  }
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws");
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
      // 1008: the session ended; do not retry.
      if (event.code === 1008) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 60000);
    });
  }
  connect();
})();
