// Start the chat widget against the Rasa server this page was served for (serve.py writes it
// into the page; nothing in the address bar can change it). While that server cannot be
// reached, the page says so with numbers to call instead of leaving an empty corner.
(function () {
  "use strict";
  var unavailable = document.getElementById("chat-unavailable");
  var howTo = document.getElementById("chat-how-to");

  function showReachable(reachable) {
    unavailable.hidden = reachable;
    howTo.hidden = !reachable;
  }

  try {
    WebChat.default({
      selector: "#webchat",
      initPayload: "/greet",
      socketUrl: document.body.dataset.rasaUrl,
      socketPath: "/socket.io/",
      title: "Care Clock",
      subtitle: "Not legal or medical advice",
      inputTextFieldHint: "Tell me what happened…",
      connectingText: "Connecting to Care Clock…",
      showMessageDate: false,
      // Keep the conversation on screen if the server goes away; the page explains.
      hideWhenNotConnected: false,
      onSocketEvent: {
        connect: function () { showReachable(true); },
        connect_error: function () { showReachable(false); },
        disconnect: function () { showReachable(false); }
      },
      // Keep the session id in localStorage: a reload continues the conversation.
      params: { storage: "local" }
    }, null);
  } catch (error) {  // the widget bundle failed to load or start
    showReachable(false);
  }
})();
