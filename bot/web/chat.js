// Start the chat widget against the Rasa server this page was served for (serve.py writes it
// into the page; nothing in the address bar can change it). While that server cannot be
// reached, the page says so with numbers to call instead of leaving an empty corner.
(function () {
  "use strict";
  var unavailable = document.getElementById("chat-unavailable");
  var howTo = document.getElementById("chat-how-to");
  // The widget's own words, per language; ?lang=es (or the switch on the page) picks one.
  var WORDS = {
    en: { subtitle: "Not legal or medical advice", hint: "Tell me what happened…",
          connecting: "Connecting to Care Clock…", download: "Download your dates for your calendar",
          title: document.title },
    es: { subtitle: "No es asesoría legal ni médica", hint: "Cuéntame qué pasó…",
          connecting: "Conectando con Care Clock…", download: "Descarga tus fechas para tu calendario",
          title: "Care Clock: ¿tu plan cumple con las reglas de tiempos de espera de California?" }
  };
  var asked = new URLSearchParams(window.location.search).get("lang");
  var language = WORDS[asked] ? asked : "en";
  var words = WORDS[language];
  document.documentElement.lang = language;
  document.title = words.title;
  document.querySelectorAll("[data-lang]").forEach(function (element) {
    element.hidden = element.dataset.lang !== language;
  });

  function showReachable(reachable) {
    unavailable.hidden = reachable;
    howTo.hidden = !reachable;
  }

  // "Add it to my calendar": the widget shows no custom messages, so the .ics the bot sends
  // (custom data {calendar: {filename, data_url}}) is offered as a download link beside the chat.
  function offerDownload(message) {
    var file = message && message.calendar;
    if (!file || String(file.data_url).indexOf("data:text/calendar;") !== 0) { return; }
    var link = document.getElementById("chat-calendar") || document.createElement("a");
    link.id = "chat-calendar";
    link.href = file.data_url;
    link.download = file.filename || "care-clock-dates.ics";
    link.textContent = words.download + " (" + link.download + ")";
    if (!link.parentNode) { document.body.insertBefore(link, document.getElementById("webchat")); }
    link.focus();
  }

  // "Delete my data": the server forgets the conversation, and so must this browser (a shared
  // computer shows the next person nothing). The widget writes its state again on every change,
  // so once forgotten, its copy is removed and not written again from this page.
  var STORED = "chat_session";
  var forgotten = false;
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key) {
    if (forgotten && key === STORED) { return; }
    return setItem.apply(this, arguments);
  };
  function forgetHere() {
    try { window.sessionStorage.removeItem(STORED); window.localStorage.removeItem(STORED); } catch (ignored) {}
  }
  window.addEventListener("pagehide", function () { if (forgotten) { forgetHere(); } });

  function onBotMessage(message) {
    if (message && message.forget_browser) {
      forgotten = true;
      forgetHere();
    }
    offerDownload(message);
  }

  try {
    WebChat.default({
      selector: "#webchat",
      // A new conversation starts in the page's language (the greeting's entity sets the slot).
      initPayload: language === "es" ? '/greet{"language":"es"}' : "/greet",
      socketUrl: document.body.dataset.rasaUrl,
      socketPath: "/socket.io/",
      title: "Care Clock",
      subtitle: words.subtitle,
      inputTextFieldHint: words.hint,
      connectingText: words.connecting,
      showMessageDate: false,
      // Keep the conversation on screen if the server goes away; the page explains.
      hideWhenNotConnected: false,
      onSocketEvent: {
        connect: function () { showReachable(true); },
        connect_error: function () { showReachable(false); },
        disconnect: function () { showReachable(false); },
        bot_uttered: onBotMessage
      },
      // The conversation is kept for this tab only (sessionStorage): a reload continues it,
      // closing the tab or the browser forgets it.
      params: { storage: "session" }
    }, null);
  } catch (error) {  // the widget bundle failed to load or start
    showReachable(false);
  }
})();
