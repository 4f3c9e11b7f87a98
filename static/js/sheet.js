// The take-home sheet works offline once opened: register the sheets' service worker, then
// hand it this page and everything it loaded, so a reload with no signal shows the same sheet.
// The page says so only once it is true, and offers the home screen where the browser can.
// The server sends this script only to secure pages (https, or this machine itself).
(function () {
  "use strict";
  var root = document.documentElement;
  var status = document.querySelector("[data-offline-status]");
  var install = document.querySelector("[data-install]");
  var hint = document.querySelector("[data-install-hint]");
  var worker = document.querySelector("[data-worker-url]");
  // What it says, in English; a page in another language gives its own in <html data-words>
  // (kiosk/languages.py script_words).
  var WORDS = Object.assign({
    saving: "Saving a copy on this phone…",
    saved: "Saved on this phone: it opens without signal, at home too.",
    not_saved: "This phone could not save a copy. Download the PDF to keep your stretches.",
    added: "Added to your home screen. It opens without signal, at home too.",
    cannot_keep: "This browser cannot keep a copy. Download the PDF to keep your stretches.",
  }, JSON.parse(root.dataset.words || "{}").sheet);

  function say(text) {
    if (status) status.textContent = text;
  }

  function sameOriginResources() {
    var urls = [location.href];
    // Opened in a language (?lang=, as a screen's QR code asks): the sheet's own address too,
    // which the server answers in the language this phone chose, so the home screen's icon
    // (and the address typed again) opens in it without signal.
    var own = new URL(location.href);
    if (own.searchParams.has("lang")) {
      own.searchParams.delete("lang");
      urls.push(own.href);
    }
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.name.indexOf(location.origin + "/") === 0) urls.push(entry.name);
    });
    document.querySelectorAll('link[rel="manifest"], link[rel="icon"]').forEach(function (link) {
      urls.push(link.href);
    });
    return urls;
  }

  function keepACopy() {
    // Routine sheets and patient sheets each get their own scope (the page gives it), so the
    // worker never answers for the screen, the console or anything else on this server.
    say(WORDS.saving);
    navigator.serviceWorker.register(worker.dataset.workerUrl, {
      scope: worker.dataset.workerScope,
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        root.dataset.offlineReady = event.data.ok ? "yes" : "no";
        say(event.data.ok ? WORDS.saved : WORDS.not_saved);
      };
      registration.active.postMessage({ keep: sameOriginResources() }, [channel.port2]);
    }).catch(function () {
      root.dataset.offlineReady = "no";
      say(WORDS.not_saved);
    });
  }

  // Opened from the home screen already: nothing to offer.
  var standalone = window.matchMedia("(display-mode: standalone)").matches;
  if (standalone && hint) hint.hidden = true;

  // Chromium-based browsers offer their own install prompt; the button asks for it.
  var prompt = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    if (!install || standalone) return;
    event.preventDefault();
    prompt = event;
    install.hidden = false;
    if (hint) hint.hidden = true;
  });
  if (install) {
    install.addEventListener("click", function () {
      if (!prompt) return;
      prompt.prompt();
      prompt.userChoice.then(function () {
        prompt = null;
        install.hidden = true;
      });
    });
  }
  window.addEventListener("appinstalled", function () {
    if (install) install.hidden = true;
    if (hint) hint.hidden = true;
    say(WORDS.added);
  });

  if (!("serviceWorker" in navigator)) {
    say(WORDS.cannot_keep);
    return;
  }
  window.addEventListener("load", keepACopy);
})();
