// Live updates of a thread page. The page works without this script; with
// it, replies and edits by others appear in place, presence and typing are
// shown, a lock reaches the composer, and a lost connection resumes from
// the last event seen. It never touches the reader's draft. A new or
// changed post is fetched from the server as the same HTML fragment the
// page renders for this reader; everything else is set as text.
(function () {
  "use strict";

  var list = document.getElementById("posts");
  if (!list || !("WebSocket" in window) || !window.fetch) {
    return;
  }
  var threadId = list.dataset.thread;
  var topic = "thread:" + threadId;
  var seq = Number(list.dataset.seq) || 0;
  var viewerId = Number(list.dataset.viewer);
  var staff = list.dataset.staff === "true";
  var fragmentUrl = list.dataset.fragment;
  var presence = document.getElementById("live-presence");
  var typing = document.getElementById("live-typing");
  var connection = document.getElementById("live-connection");
  var announcer = document.getElementById("live-announce");
  var newReplies = document.getElementById("new-replies");
  var draft = document.getElementById("reply-body");

  var socket = null;
  var leaving = false;
  var backoff = 1000;
  var badge = document.getElementById("unread-count");
  var unreadNumber = document.getElementById("unread-number");
  var unseen = [];
  var typingTimer = null;
  var typingFrom = null;
  var lastTypingSent = 0;

  function fill(text, name, value) {
    return text.split("{" + name + "}").join(value);
  }

  // The post as the server renders it for this reader: the same template,
  // language, dates and actions as the posts the page loaded with.
  function fetchPost(id) {
    return fetch(fill(fragmentUrl, "id", String(id)), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" }
    }).then(function (response) {
      // Signed out meanwhile (redirected to sign in) or gone: nothing.
      if (!response.ok || response.redirected) {
        return null;
      }
      return response.text().then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var node = holder.content.firstElementChild;
        return node && node.id === "post-" + id ? node : null;
      });
    }).catch(function () {
      return null;
    });
  }

  // A node whose top is inside the window is seen where it lands.
  function inView(node) {
    var box = node.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  }

  function clearTyping(userId) {
    if (typingFrom === null || userId === undefined || typingFrom === userId) {
      clearTimeout(typingTimer);
      typing.textContent = "";
      typingFrom = null;
    }
  }

  function insert(post) {
    if (document.getElementById("post-" + post.id)) {
      return;
    }
    clearTyping(post.author && post.author.id);
    fetchPost(post.id).then(function (node) {
      if (!node || document.getElementById("post-" + post.id)) {
        return;
      }
      list.appendChild(node);
      node.classList.add("live-new");
      announcer.textContent = fill(announcer.dataset.text, "name", post.author.display_name);
      if (post.author.id !== viewerId && !inView(node)) {
        unseen.push(post.id);
        showUnseen();
      }
    });
  }

  function replace(id) {
    var old = document.getElementById("post-" + id);
    if (!old) {
      return;
    }
    fetchPost(id).then(function (node) {
      var current = document.getElementById("post-" + id);
      if (node && current) {
        current.replaceWith(node);
      }
    });
  }

  function setLocked(locked) {
    var composer = document.getElementById("composer");
    var notice = document.getElementById("composer-locked");
    if (!document.getElementById("reply") && composer && notice && !locked) {
      // Loaded while locked, with nothing drafted: no composer to reopen.
      notice.textContent = composer.dataset.reopened;
      notice.hidden = false;
      return;
    }
    document.dispatchEvent(new CustomEvent("comity:locked", { detail: { locked: locked } }));
  }

  function showUnseen() {
    if (unseen.length === 0) {
      newReplies.hidden = true;
      return;
    }
    newReplies.textContent = fill(newReplies.dataset.text, "n", String(unseen.length));
    newReplies.hidden = false;
  }

  function handle(message) {
    switch (message.type) {
      case "event":
        seq = Math.max(seq, message.seq);
        if (message.kind === "notification") {
          // The inbox topic (the header's unread count).
          if (badge && unreadNumber && typeof message.unread === "number") {
            unreadNumber.textContent = String(message.unread);
            badge.hidden = message.unread === 0;
          }
          break;
        }
        if (message.kind === "post_created" && message.post) {
          insert(message.post);
        } else if (message.kind === "post_edited" && message.post) {
          replace(message.post.id);
        } else if (message.kind === "thread_updated" && message.thread) {
          var title = document.querySelector(".thread-header h1");
          if (title && message.thread.title) {
            title.textContent = message.thread.title;
          }
        } else if (message.kind === "post_hidden" && message.post_id) {
          if (staff) {
            replace(message.post_id);
          } else {
            var hidden = document.getElementById("post-" + message.post_id);
            if (hidden) {
              hidden.remove();
            }
          }
        } else if (message.kind === "post_restored" && message.post_id) {
          replace(message.post_id);
        } else if (
          (message.kind === "attachment_hidden" || message.kind === "attachment_extracted") &&
          message.post_id
        ) {
          // A file hidden or shown again, or its text read (pages,
          // language): the post as this reader now sees it.
          replace(message.post_id);
        } else if (message.kind === "thread_locked") {
          setLocked(Boolean(message.locked));
        } else if (message.kind === "thread_moved") {
          connection.textContent = connection.dataset.moved;
        }
        break;
      case "subscribed":
        seq = Math.max(seq, message.seq);
        break;
      case "presence":
        presence.textContent = fill(presence.dataset.text, "n", String(message.viewers));
        break;
      case "typing":
        typing.textContent = fill(typing.dataset.text, "name", message.user.display_name);
        typingFrom = message.user.id;
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () {
          clearTyping();
        }, 5000);
        break;
      case "resync":
        connection.textContent = connection.dataset.resync;
        break;
      default:
        break;
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws");
    socket.addEventListener("open", function () {
      backoff = 1000;
      connection.textContent = "";
      socket.send(JSON.stringify({ type: "subscribe", topics: [topic], since: seq }));
      if (badge && unreadNumber) {
        socket.send(JSON.stringify({ type: "subscribe", topics: ["inbox"] }));
      }
    });
    socket.addEventListener("message", function (event) {
      try {
        handle(JSON.parse(event.data));
      } catch (e) {
        // A message this page does not understand changes nothing.
      }
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      presence.textContent = "";
      clearTyping();
      if (leaving) {
        return;
      }
      if (event.code === 1008) {
        // The session ended (signed out elsewhere): nothing to resume.
        connection.textContent = connection.dataset.offline;
        return;
      }
      connection.textContent = connection.dataset.offline;
      var wait = backoff + Math.random() * backoff * 0.5;
      backoff = Math.min(backoff * 2, 30000);
      setTimeout(connect, wait);
    });
  }

  newReplies.addEventListener("click", function () {
    var first = unseen.length ? document.getElementById("post-" + unseen[0]) : null;
    unseen = [];
    showUnseen();
    if (first) {
      first.scrollIntoView({ block: "start" });
      var link = first.querySelector(".permalink");
      if (link) {
        link.focus();
      }
    }
  });

  window.addEventListener("scroll", function () {
    if (unseen.length && nearBottom()) {
      unseen = [];
      showUnseen();
    }
  }, { passive: true });

  if (draft) {
    draft.addEventListener("input", function () {
      var now = Date.now();
      if (socket && socket.readyState === WebSocket.OPEN && now - lastTypingSent > 3000) {
        lastTypingSent = now;
        socket.send(JSON.stringify({ type: "typing", topic: topic }));
      }
    });
  }

  // Close at once when the page goes away (or into the back/forward
  // cache), so the server frees the connection before the next page opens
  // its own; resume from the last event when the page comes back.
  window.addEventListener("pagehide", function () {
    leaving = true;
    if (socket) {
      socket.close(1000);
    }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      leaving = false;
      if (!socket) {
        connect();
      }
    }
  });

  connect();
})();
