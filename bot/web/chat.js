// Care Clock's chat page: a small client of Rasa's socket.io channel (bot/channels/socketio.py).
// It talks only to the Rasa server this page was served for (serve.py writes it into the page).
// Bot text is always shown as text: links, phone numbers, **bold** and [fill-in blanks] are built
// as elements, never parsed as HTML. The conversation and its session id are kept for this tab
// (sessionStorage): a reload continues it, and reminders reach it while the page is open.
(function () {
  "use strict";

  var WORDS = {
    en: {
      title: "Care Clock: is your plan keeping to California's waiting-time rules?",
      hint: "Tell me what happened…", message: "Your message", send: "Send",
      log: "Conversation with Care Clock", you: "You said:", bot: "Care Clock said:",
      download: "Download your dates for your calendar", calendarFile: "care-clock-dates.ics",
      picture: "Calendar picture of your dates, described in the message above", copy: "Copy", print: "Print", downloadLetter: "Download (.txt)",
      downloadWord: "Download (Word)", downloadPdf: "Download (PDF)", saved: "Saved as {file}.",
      preparing: "Preparing {file}…",
      documentFailed: "Could not make {file} just now. Try again, or use Download (.txt) or Copy.",
      copied: "Copied. You can paste it into an email or a document.",
      copyFailed: "Could not copy here: select the letter's text and copy it.",
      downloaded: "Saved as {file}: you can open and edit it.",
      letterFile: "care-clock-letter.txt", letter: "Letter",
      languageName: "English"
    },
    es: {
      title: "Care Clock: ¿tu plan cumple con las reglas de tiempos de espera de California?",
      hint: "Cuéntame qué pasó…", message: "Tu mensaje", send: "Enviar",
      log: "Conversación con Care Clock", you: "Tú dijiste:", bot: "Care Clock dijo:",
      download: "Descarga tus fechas para tu calendario", calendarFile: "care-clock-fechas.ics",
      picture: "Imagen de calendario con tus fechas, descrita en el mensaje de arriba", copy: "Copiar", print: "Imprimir", downloadLetter: "Descargar (.txt)",
      downloadWord: "Descargar (Word)", downloadPdf: "Descargar (PDF)", saved: "Guardado como {file}.",
      preparing: "Preparando {file}…",
      documentFailed: "No se pudo crear {file} ahora. Inténtalo de nuevo, o usa Descargar (.txt) o Copiar.",
      copied: "Copiado. Puedes pegarlo en un correo o en un documento.",
      copyFailed: "No se pudo copiar aquí: selecciona el texto de la carta y cópialo.",
      downloaded: "Guardado como {file}: puedes abrirlo y cambiarlo.",
      letterFile: "care-clock-carta.txt", letter: "Carta",
      languageName: "Español"
    }
  };
  var STORED = "chat_session";  // {session_id, language, messages: [{from: "user"|"bot", ...}]}
  var MAX_KEPT = 400;  // messages kept for a reload

  var asked = new URLSearchParams(window.location.search).get("lang");
  var language = WORDS[asked] ? asked : "en";
  var words = WORDS[language];
  document.documentElement.lang = language;
  document.title = words.title;
  document.querySelectorAll("[data-lang]").forEach(function (element) {
    element.hidden = element.dataset.lang !== language;
  });

  var log = document.getElementById("log");
  var howTo = document.getElementById("chat-how-to");
  var unavailable = document.getElementById("chat-unavailable");
  var form = document.getElementById("composer");
  var box = document.getElementById("message");
  var sendButton = document.getElementById("send");
  var status = document.getElementById("status");
  var printArea = document.getElementById("print-area");
  log.setAttribute("aria-label", words.log);
  box.placeholder = words.hint;
  document.getElementById("message-label").textContent = words.message;
  sendButton.textContent = words.send;

  // --- About: a panel that Escape (or Close) closes, giving focus back to its button ---
  var about = document.getElementById("about");
  var aboutButton = document.getElementById("about-button");
  function showAbout(open) {
    about.hidden = !open;
    aboutButton.setAttribute("aria-expanded", String(open));
    if (open) { about.querySelector("h2").setAttribute("tabindex", "-1"); about.querySelector("h2").focus(); }
  }
  aboutButton.addEventListener("click", function () { showAbout(about.hidden); });
  document.getElementById("about-close").addEventListener("click", function () {
    showAbout(false);
    aboutButton.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !about.hidden) {
      showAbout(false);
      aboutButton.focus();
    }
  });

  // --- what this tab keeps ---
  var forgotten = false;  // "delete my data": nothing is written for this conversation again
  function load() {
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(STORED) || "null");
      if (kept && typeof kept === "object" && Array.isArray(kept.messages)) { return kept; }
    } catch (ignored) {}
    return { session_id: null, language: language, messages: [] };
  }
  var state = load();
  function save() {
    if (forgotten) { return; }
    state.messages = state.messages.slice(-MAX_KEPT);
    try { window.sessionStorage.setItem(STORED, JSON.stringify(state)); } catch (ignored) {}
  }
  function forgetHere() {
    try { window.sessionStorage.removeItem(STORED); window.localStorage.removeItem(STORED); } catch (ignored) {}
  }
  window.addEventListener("pagehide", function () { if (forgotten) { forgetHere(); } });

  // --- bot text as text: links, tel: links, **bold**, [blanks] ---
  var TOKENS = new RegExp(
    "(https?:\\/\\/[^\\s<>\"]+[^\\s<>\".,;:!?)\\]])" +                           // 1 a web address
    "|(\\b1-\\d{3}-\\d{3}-\\d{4}\\b|\\(\\d{3}\\) ?\\d{3}-\\d{4}\\b|\\b\\d{3}-\\d{3}-\\d{4}\\b|\\b(?:988|911)\\b)" + // 2 a phone
    "|\\*\\*([^*\\n]+?)\\*\\*" +                                                     // 3 bold
    "|\\[([^\\[\\]\\n]{1,80})\\](?!\\()",                                            // 4 a fill-in blank
    "g");

  function appendRich(parent, text) {
    var last = 0, match;
    TOKENS.lastIndex = 0;
    var found = [];
    while ((match = TOKENS.exec(text)) !== null) { found.push(match); }
    found.forEach(function (m) {
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var element;
      if (m[1]) {
        element = document.createElement("a");
        element.href = m[1];
        element.rel = "noopener noreferrer";
        element.target = "_blank";
        element.textContent = m[1];
      } else if (m[2]) {
        element = document.createElement("a");
        element.href = "tel:" + m[2].replace(/\D/g, "");
        element.textContent = m[2];
      } else if (m[3]) {
        element = document.createElement("strong");
        appendRich(element, m[3]);
      } else {
        element = document.createElement("mark");  // a fill-in blank: brackets kept, marked
        element.className = "blank";
        element.textContent = "[" + m[4] + "]";
      }
      parent.appendChild(element);
      last = m.index + m[0].length;
    });
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function plainLines(text) {  // the bot's chat text (markdown hard breaks, no-break blank lines) as lines
    var lines = String(text).split("\n").map(function (line) {
      return line.replace(/\u00a0/g, " ").replace(/\s+$/, "");
    });
    while (lines.length && !lines[0]) { lines.shift(); }
    while (lines.length && !lines[lines.length - 1]) { lines.pop(); }
    return lines;
  }

  function textBlock(text) {
    var block = document.createDocumentFragment();
    plainLines(text).forEach(function (line) {
      var p = document.createElement("p");
      appendRich(p, line);
      block.appendChild(p);
    });
    return block;
  }

  window.careClockText = textBlock;  // for the tests: bot text as the page builds it

  // --- messages on the page ---
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function row(from) {
    var item = document.createElement("div");
    item.className = "msg " + from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = from === "user" ? words.you : words.bot;
    item.appendChild(who);
    log.appendChild(item);
    return item;
  }

  function bubble(item) {
    var inner = document.createElement("div");
    inner.className = "bubble";
    item.appendChild(inner);
    return inner;
  }

  function showUser(text) {
    bubble(row("user")).textContent = text;
  }

  function showButtons(item, buttons) {
    var group = document.createElement("div");
    group.className = "replies";
    group.setAttribute("role", "group");
    buttons.forEach(function (choice) {
      if (!choice || typeof choice.title !== "string" || typeof choice.payload !== "string") { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.addEventListener("click", function () {
        say(choice.title, choice.payload);
        box.focus();
      });
      group.appendChild(button);
    });
    item.appendChild(group);
  }

  function safeDataUrl(url, kinds) {
    return typeof url === "string" && kinds.some(function (kind) { return url.indexOf("data:" + kind + ";") === 0; });
  }

  function showCalendar(item, file) {
    var link = document.createElement("a");
    link.className = "download";
    link.href = file.data_url;
    link.download = words.calendarFile;
    link.textContent = words.download + " (" + words.calendarFile + ")";
    bubble(item).appendChild(link);
  }

  function download(name, text) {
    saveFile(name, new Blob([text.replace(/\n/g, "\r\n")], { type: "text/plain;charset=utf-8" }));
  }

  function saveFile(name, blob) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function copyText(text, done, failed) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, failed);
      return;
    }
    var scratch = document.createElement("textarea");  // http pages other than localhost
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    scratch.className = "visually-hidden";
    document.body.appendChild(scratch);
    scratch.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (ignored) {}
    scratch.remove();
    (ok ? done : failed)();
  }

  var DOCUMENT_TYPES = {
    docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    pdf: "application/pdf"
  };
  function fetchDocument(kind, letter) {  // the letter as a document, from this page's own server
    return window.fetch("/documents/letter." + kind, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(letter),
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer"
    }).then(function (response) {
      var type = (response.headers.get("Content-Type") || "").split(";")[0];
      if (!response.ok || type !== DOCUMENT_TYPES[kind]) { throw new Error("no document: " + response.status); }
      return response.blob();
    });
  }

  var letters = 0;
  function showLetter(item, letter) {
    var text = plainLines(letter.text).join("\n");
    var title = typeof letter.title === "string" && letter.title ? letter.title : words.letter;
    var file = typeof letter.filename === "string" && /^[\w.-]+\.txt$/.test(letter.filename) ? letter.filename : words.letterFile;
    var id = "letter-" + (++letters);
    var card = document.createElement("article");
    card.className = "letter";
    card.setAttribute("aria-labelledby", id);
    var heading = document.createElement("h2");
    heading.id = id;
    heading.textContent = title;
    var body = document.createElement("div");
    body.className = "letter-text";
    plainLines(letter.text).forEach(function (line, index) {
      if (index) { body.appendChild(document.createTextNode("\n")); }
      appendRich(body, line);
    });
    var actions = document.createElement("div");
    actions.className = "letter-actions";
    var note = document.createElement("p");
    note.className = "letter-status";
    note.setAttribute("role", "status");
    function action(label, run) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.setAttribute("aria-label", label + ": " + title);
      button.addEventListener("click", run);
      actions.appendChild(button);
      return button;
    }
    action(words.copy, function () {
      copyText(text, function () { note.textContent = words.copied; },
        function () { note.textContent = words.copyFailed; });
    });
    action(words.print, function () {
      printArea.textContent = "";
      var copy = body.cloneNode(true);
      printArea.appendChild(copy);
      document.body.classList.add("print-letter");
      window.print();
    });
    action(words.downloadLetter, function () {
      download(file, text + "\n");
      note.textContent = words.downloaded.replace("{file}", file);
    });
    // The same letter as a Word file and a PDF: this page's server writes it when asked (POST, the
    // letter as JSON) and keeps nothing; the conversation holds only the text.
    var letterLanguage = WORDS[letter.language] ? letter.language : language;
    [["docx", words.downloadWord, words.downloaded], ["pdf", words.downloadPdf, words.saved]].forEach(function (kind) {
      var name = file.replace(/\.txt$/, "." + kind[0]);
      var busy = false;
      action(kind[1], function () {
        if (busy) { return; }
        busy = true;
        note.textContent = words.preparing.replace("{file}", name);
        fetchDocument(kind[0], { title: title, text: text, language: letterLanguage }).then(function (blob) {
          saveFile(name, blob);
          note.textContent = kind[2].replace("{file}", name);
        }, function () {
          note.textContent = words.documentFailed.replace("{file}", name);
        }).then(function () { busy = false; });
      });
    });
    card.appendChild(heading);
    card.appendChild(body);
    card.appendChild(actions);
    card.appendChild(note);
    item.appendChild(card);
  }
  window.addEventListener("afterprint", function () { document.body.classList.remove("print-letter"); });

  // The bot sends a draft twice: as chat text (for every channel) and as a letter (for this page).
  // The letter replaces the chat text right before it.
  function sameText(a, b) { return plainLines(a).join("\n") === plainLines(b).join("\n"); }

  function showBot(message) {
    var item = row("bot");
    if (typeof message.text === "string" && message.text.trim()) {
      bubble(item).appendChild(textBlock(message.text));
    }
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload &&
        safeDataUrl(attachment.payload.src, ["image/svg+xml", "image/png"])) {
      var picture = document.createElement("img");
      picture.className = "picture";
      picture.src = attachment.payload.src;
      picture.alt = words.picture;
      picture.addEventListener("load", scrollDown);
      bubble(item).appendChild(picture);
    }
    if (message.calendar && safeDataUrl(message.calendar.data_url, ["text/calendar"])) {
      showCalendar(item, message.calendar);
    }
    if (message.letter && typeof message.letter.text === "string") {
      showLetter(item, message.letter);
    }
    var buttons = message.quick_replies || message.buttons;
    if (Array.isArray(buttons) && buttons.length) { showButtons(item, buttons); }
    if (item.childNodes.length === 1) { item.remove(); }  // nothing this page shows
    return item;
  }

  function render(entry) {
    if (entry.from === "user") { showUser(entry.text); } else { showBot(entry); }
  }

  function receive(message) {
    if (!message || typeof message !== "object") { return; }
    if (message.forget_browser) {
      forgotten = true;
      forgetHere();
      return;
    }
    var entry = { from: "bot" };
    ["text", "quick_replies", "buttons", "attachment", "calendar", "letter"].forEach(function (key) {
      if (message[key] !== undefined) { entry[key] = message[key]; }
    });
    if (entry.letter) {
      var previous = state.messages[state.messages.length - 1];
      var previousRow = log.lastElementChild;
      if (previous && previous.from === "bot" && typeof previous.text === "string" &&
          sameText(previous.text, entry.letter.text) && previousRow && previousRow.classList.contains("bot")) {
        state.messages.pop();
        previousRow.remove();
      }
    }
    state.messages.push(entry);
    save();
    showBot(entry);
    scrollDown();
  }

  // --- the socket ---
  var socket = null;
  var confirmed = null;

  function showReachable(reachable) {
    unavailable.hidden = reachable;
    howTo.hidden = !reachable;
  }

  function emit(payload) {
    if (socket) { socket.emit("user_uttered", { message: payload, session_id: confirmed }); }
  }

  function say(shown, payload) {
    state.messages.push({ from: "user", text: shown });
    save();
    showUser(shown);
    scrollDown();
    emit(payload);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = box.value.trim();
    if (!text) { return; }
    box.value = "";
    say(text, text);
  });
  function fit() {  // the box grows with what is typed, up to its CSS max-height
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }
  box.addEventListener("input", fit);
  form.addEventListener("submit", function () { window.setTimeout(fit, 0); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });

  state.messages.forEach(render);
  scrollDown();

  try {
    socket = window.io(document.body.dataset.rasaUrl, { path: "/socket.io/" });
  } catch (error) {  // the socket.io bundle failed to load
    showReachable(false);
    return;
  }
  socket.on("connect", function () {
    showReachable(true);
    socket.emit("session_request", { session_id: state.session_id });
  });
  socket.on("connect_error", function () { showReachable(false); });
  socket.on("disconnect", function () { showReachable(false); });
  socket.on("session_confirm", function (session) {
    var id = typeof session === "string" ? session : session && session.session_id;
    confirmed = id;
    if (id !== state.session_id) {  // a new conversation: greet in the page's language
      state = { session_id: id, language: language, messages: [] };
      log.querySelectorAll(".msg").forEach(function (item) { item.remove(); });
      forgotten = false;
      save();
      emit(language === "es" ? '/greet{"language":"es"}' : "/greet");
    } else if (state.language !== language) {  // the page's language switch: the bot switches too
      state.language = language;
      say(words.languageName, '/choose_language{"language":"' + language + '"}');
    }
  });
  socket.on("bot_uttered", receive);
})();
