// The take-home sheet works offline once opened: register the sheets' service worker, then
// hand it this page and everything it loaded, so a reload with no signal shows the same sheet.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;

  function sameOriginResources() {
    var urls = [location.href];
    performance.getEntriesByType("resource").forEach(function (entry) {
      if (entry.name.indexOf(location.origin + "/") === 0) urls.push(entry.name);
    });
    document.querySelectorAll('link[rel="manifest"], link[rel="icon"]').forEach(function (link) {
      urls.push(link.href);
    });
    return urls;
  }

  window.addEventListener("load", function () {
    // Routine sheets (/s/...) and patient sheets (/p/...) each get their own scope, so the
    // worker never answers for the screen, the console or anything else on this server.
    var scope = "/" + location.pathname.split("/")[1] + "/";
    navigator.serviceWorker.register("/sheet-sw.js", { scope: scope }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        document.documentElement.dataset.offlineReady = event.data.ok ? "yes" : "no";
      };
      registration.active.postMessage({ keep: sameOriginResources() }, [channel.port2]);
    }).catch(function () {
      document.documentElement.dataset.offlineReady = "no";
    });
  });
})();
