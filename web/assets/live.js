// Live updates of a thread page. The page works without this script; with
// it, replies and edits by others appear in place, presence and typing are
// shown, and a lost connection resumes from the last event seen. It never
// touches the reader's draft. Post HTML comes sanitised from the server
// (the same HTML the page itself renders); everything else is set as text.
(function () {
  "use strict";

  var list = document.getElementById("posts");
  var template = document.getElementById("post-template");
  if (!list || !template || !("WebSocket" in window)) {
    return;
  }
  var threadId = list.dataset.thread;
  var topic = "thread:" + threadId;
  var seq = Number(list.dataset.seq) || 0;
  var viewerId = Number(list.dataset.viewer);
  var staff = list.dataset.staff === "true";
  var canReply = list.dataset.canReply === "true";
  var presence = document.getElementById("live-presence");
  var typing = document.getElementById("live-typing");
  var connection = document.getElementById("live-connection");
  var announcer = document.getElementById("live-announce");
  var newReplies = document.getElementById("new-replies");
  var draft = document.getElementById("reply-body");
  var dates = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC"
  });

  var socket = null;
  var backoff = 1000;
  var unseen = [];
  var typingTimer = null;
  var lastTypingSent = 0;

  function fill(text, name, value) {
    return text.split("{" + name + "}").join(value);
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 150;
  }

  function setPostContent(node, post) {
    var body = node.querySelector(".post-body");
    body.innerHTML = post.body_html;
    if (post.language && post.language !== "und") {
      body.setAttribute("lang", post.language);
    } else {
      body.removeAttribute("lang");
    }
    if (post.edited_at) {
      var edited = node.querySelector(".edited");
      if (!edited) {
        edited = template.content.querySelector(".edited").cloneNode(true);
        node.querySelector(".post-header").appendChild(edited);
      }
      var text = edited.dataset.text || template.content.querySelector(".edited").dataset.text;
      edited.textContent = fill(text, "date", dates.format(new Date(post.edited_at)));
      edited.href = "/posts/" + post.id + "/revisions";
      edited.hidden = false;
    }
  }

  function render(post) {
    var node = template.content.firstElementChild.cloneNode(true);
    node.id = "post-" + post.id;
    var article = node.querySelector("article");
    article.setAttribute("aria-label", fill(article.dataset.label, "name", post.author.display_name));
    var author = node.querySelector(".author");
    author.textContent = post.author.display_name;
    author.href = "/u/" + encodeURIComponent(post.author.username);
    var permalink = node.querySelector(".permalink");
    permalink.href = "#post-" + post.id;
    var time = node.querySelector("time");
    time.dateTime = post.created_at;
    time.textContent = dates.format(new Date(post.created_at));
    if (post.reply_to) {
      var parent = node.querySelector(".in-reply-to");
      parent.href = "#post-" + post.reply_to;
      parent.hidden = false;
    }
    var edit = node.querySelector(".edit-link");
    if (post.author.id === viewerId || staff) {
      edit.href = "/posts/" + post.id + "/edit";
    } else {
      edit.remove();
    }
    var reply = node.querySelector(".reply-link");
    if (canReply) {
      reply.href = "/t/" + threadId + "?reply_to=" + post.id + "#reply";
    } else {
      reply.remove();
    }
    setPostContent(node, post);
    return node;
  }

  function showUnseen() {
    if (unseen.length === 0) {
      newReplies.hidden = true;
      return;
    }
    newReplies.textContent = fill(newReplies.dataset.text, "n", String(unseen.length));
    newReplies.hidden = false;
  }

  function insert(post) {
    if (document.getElementById("post-" + post.id)) {
      return;
    }
    var atBottom = nearBottom();
    list.appendChild(render(post));
    announcer.textContent = fill(announcer.dataset.text, "name", post.author.display_name);
    if (!atBottom && post.author.id !== viewerId) {
      unseen.push(post.id);
      showUnseen();
    }
  }

  function handle(message) {
    switch (message.type) {
      case "event":
        seq = Math.max(seq, message.seq);
        if (message.kind === "post_created" && message.post) {
          insert(message.post);
        } else if (message.kind === "post_edited" && message.post) {
          var node = document.getElementById("post-" + message.post.id);
          if (node) {
            setPostContent(node, message.post);
          }
        } else if (message.kind === "thread_updated" && message.thread) {
          var title = document.querySelector(".thread-header h1");
          if (title && message.thread.title) {
            title.textContent = message.thread.title;
          }
        } else if (message.kind === "post_hidden" && message.post_id) {
          var hidden = document.getElementById("post-" + message.post_id);
          if (hidden && !staff) {
            hidden.remove();
          }
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
        clearTimeout(typingTimer);
        typingTimer = setTimeout(function () {
          typing.textContent = "";
        }, 6000);
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

  connect();
})();
