// The chat page. Every text is inserted with textContent: nothing is rendered as HTML.
// A new conversation opens with the assistant's greeting (from the page's texts, in the page's
// language; never sent to Rasa). It is kept in the history as {greeting: true}, so a reload
// shows it once, and every message shows its time (HH:MM, Helsinki time).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("chat-config").textContent);
  var texts = config.texts[config.language];
  var list = document.getElementById("messages");
  var statusLine = document.getElementById("status");
  var form = document.getElementById("composer");
  var input = document.getElementById("text");
  var sendButton = document.getElementById("send");
  var TOKEN_KEY = "business-espoo-chat:conversation";
  var HISTORY_KEY = "business-espoo-chat:history";
  var clock = makeClock();

  function makeClock() {
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    var format;
    try {
      format = new Intl.DateTimeFormat("en-GB", Object.assign({ timeZone: "Europe/Helsinki" }, options));
    } catch (e) {
      format = new Intl.DateTimeFormat("en-GB", options);  // the browser's own time zone
    }
    return function (when) {
      var parts = {};
      format.formatToParts(new Date(when)).forEach(function (part) { parts[part.type] = part.value; });
      return parts.hour + ":" + parts.minute;
    };
  }

  function loadHistory() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY)) || []; } catch (e) { return []; }
  }
  function saveHistory(history) {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history.slice(-200)));
  }

  // An answer's own links go through /go/ (bot/insights/links.py): the label stays the address.
  function appendText(parent, text, links) {
    BusinessEspooLinks.append(parent, text, function (url) { return BusinessEspooLinks.goPath(links, url) || url; });
  }

  function render(entry, withButtons) {
    var item = document.createElement("li");
    item.className = "message " + (entry.who === "user" ? "user" : "bot");
    var meta = document.createElement("span");
    meta.className = "meta";
    var who = document.createElement("span");
    who.className = "who";
    who.textContent = entry.who === "user" ? texts.you : texts.assistant;
    meta.appendChild(who);
    if (typeof entry.at === "number") {
      var time = document.createElement("time");
      time.dateTime = new Date(entry.at).toISOString();
      time.textContent = clock(entry.at);
      time.title = texts.sent_at.replace("{time}", time.textContent);
      meta.appendChild(time);
    }
    item.appendChild(meta);
    var body = document.createElement("span");
    body.className = "text";
    appendText(body, entry.greeting ? texts.greeting : (entry.text || ""), entry.links);
    item.appendChild(body);
    if (entry.who === "bot" && typeof entry.answer === "string") { item.appendChild(helpful(entry)); }
    if (withButtons && entry.buttons && entry.buttons.length) {
      var replies = document.createElement("div");
      replies.className = "quick-replies";
      entry.buttons.forEach(function (button) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = button.title;
        b.addEventListener("click", function () { send(button.payload); });
        replies.appendChild(b);
      });
      item.appendChild(replies);
    }
    list.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  // "Was this helpful?" under an answer (bot/insights/feedback.py): one vote per answer, remembered.
  function helpful(entry) {
    var group = document.createElement("div");
    group.className = "helpful";
    group.setAttribute("role", "group");
    var question = document.createElement("span");
    question.textContent = texts.helpful_question;
    question.id = "helpful-" + entry.at + "-" + entry.answer.replace(/[^a-z0-9]/gi, "-");
    group.setAttribute("aria-labelledby", question.id);
    group.appendChild(question);
    function thank() {
      var thanks = document.createElement("span");
      thanks.setAttribute("role", "status");
      thanks.textContent = texts.helpful_thanks;
      group.appendChild(thanks);
    }
    if (entry.voted) { thank(); return group; }
    [[true, texts.helpful_yes], [false, texts.helpful_no]].forEach(function (choice) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "thumb";
      button.textContent = choice[1];
      button.addEventListener("click", function () {
        conversation().then(function (token) {
          return fetch("/api/feedback", {
            method: "POST", headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ conversation: token, answer: entry.answer, helpful: choice[0], language: config.language })
          });
        }).then(function (response) {
          if (response.status === 429) {  // too many votes: the server's words, in the page's language
            return response.json().then(function (data) { statusLine.textContent = data.message || ""; });
          }
        }).catch(function () {});
        var history = loadHistory();
        history.forEach(function (h) { if (h.at === entry.at && h.answer === entry.answer) { h.voted = true; } });
        saveHistory(history);
        group.querySelectorAll("button").forEach(function (b) { b.remove(); });
        thank();
      });
      group.appendChild(button);
    });
    return group;
  }

  function renderAll() {
    list.textContent = "";
    var history = loadHistory();
    if (!history.length) {
      history = [{ who: "bot", greeting: true, at: Date.now() }];
      saveHistory(history);
    }
    history.forEach(function (entry, i) { render(entry, i === history.length - 1); });
  }

  function record(entry) {
    var history = loadHistory();
    history.push(entry);
    saveHistory(history);
    var old = list.querySelectorAll(".quick-replies");
    old.forEach(function (node) { node.remove(); });
    render(entry, true);
  }

  function startConversation() {
    return fetch("/api/conversations", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" })
      .then(function (r) { return r.json(); })
      .then(function (data) { localStorage.setItem(TOKEN_KEY, data.conversation); return data.conversation; });
  }

  function conversation() {
    var token = localStorage.getItem(TOKEN_KEY);
    return token ? Promise.resolve(token) : startConversation();
  }

  function send(text) {
    statusLine.textContent = "";
    sendButton.disabled = true;
    var sentAt = Date.now();
    return conversation().then(function (token) {
      return fetch("/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ conversation: token, text: text, language: config.language, page_url: location.href })
      });
    }).then(function (response) {
      return response.json().then(function (data) {
        if (response.status === 403) { localStorage.removeItem(TOKEN_KEY); }
        if (!response.ok) { throw new Error(data.message || texts.error_unavailable); }
        if (typeof data.conversation === "string") { localStorage.setItem(TOKEN_KEY, data.conversation); }
        record({ who: "user", text: (data.user && data.user.text) || text, at: sentAt });
        var answeredAt = Date.now();
        data.messages.forEach(function (m) {
          record({ who: "bot", text: m.text, buttons: m.buttons, answer: m.answer, links: m.links, at: answeredAt });
        });
        return true;
      });
    }).catch(function (error) {
      statusLine.textContent = error.message || texts.error_unavailable;
      return false;
    }).finally(function () { sendButton.disabled = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    send(text).then(function (sent) { if (sent) { input.value = ""; } input.focus(); });
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  document.getElementById("restart").addEventListener("click", function () {
    localStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(HISTORY_KEY);
    statusLine.textContent = "";
    renderAll();  // a new conversation starts with the greeting again
    startConversation();
    input.focus();
  });
  renderAll();
})();
