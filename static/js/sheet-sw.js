// Service worker for take-home sheets: they keep working with no signal. Each kind of sheet
// (routine, patient) registers it for its own scope, which the page gives.
// Sheet pages: network first, so an online phone always gets the latest; the cache otherwise.
// Fingerprinted assets (?v=...): cache first, they never change under the same URL.
// A sheet the server calls gone (410: revoked or expired; 404: no such sheet) is forgotten.
"use strict";

var CACHE = "kiosk-sheets-v1";
// What a sheet's PDF and manifest add to the sheet's address ("pdf", "manifest"): a worker
// cannot call url_for, so the server writes them in (kiosk/sheets.py, service_worker).
var ROUTES = {/* the server writes the routes here */};
// A sheet's address is the scope and one segment, its name.
var SCOPE = new URL(self.registration.scope).pathname;
var SHEET_PAGE = new RegExp("^" + literally(SCOPE) + "[^/]+(" + literally(ROUTES.manifest) + ")?$");
// The sheet an address belongs to: the sheet for itself, its PDF and its manifest.
var SHEET_OF = new RegExp("^(" + literally(SCOPE) + "[^/]+?)(" + literally(ROUTES.pdf) + "|" +
  literally(ROUTES.manifest) + ")?$");
var GONE = [404, 410];

function literally(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// The page sends its own URL and its assets once it has loaded. The page is fetched again
// marked as a prefetch, so the server does not count a second open.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  var port = event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      var request = new Request(url, { headers: { "Purpose": "prefetch" }, credentials: "same-origin" });
      return fetch(request).then(function (response) {
        return keep(cache, url, response);
      });
    }));
  }).then(function () {
    if (port) port.postMessage({ ok: true });
  }, function () {
    if (port) port.postMessage({ ok: false });
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  // Never a POST: the reminder's calendar file (reminder.ics) is made for each asking, with the
  // time chosen, and is neither kept nor answered from here.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHEET_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.searchParams.has("v")) {
    event.respondWith(cacheFirst(request));
  }
});

// The page is answered once the cache agrees with it, so a reload with no signal right after
// a sheet was withdrawn cannot bring the old sheet back.
function networkFirst(request) {
  return fetch(request).then(function (response) {
    var copy = response.clone();
    var answer = function () { return response; };
    return caches.open(CACHE).then(function (cache) {
      return keep(cache, request.url, copy);
    }).then(answer, answer);
  }, function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request.url);
    }).then(function (cached) {
      return cached || Response.error();
    });
  });
}

function keep(cache, url, response) {
  if (response.ok) return cache.put(url, response);
  if (GONE.indexOf(response.status) !== -1 && SHEET_PAGE.test(new URL(url).pathname)) {
    return forgetSheet(cache, url, response);
  }
}

// Drop every copy of the sheet (page, PDF, manifest, any query); its assets are shared and stay.
// The "gone" page takes the sheet page's place: offline, the patient still reads whom to call.
function forgetSheet(cache, url, response) {
  var path = new URL(url).pathname;
  var sheet = path.match(SHEET_OF)[1];
  return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (request) {
      var kept = new URL(request.url).pathname;
      return kept === sheet || kept === sheet + ROUTES.pdf || kept.indexOf(sheet + "/") === 0;
    }).map(function (request) { return cache.delete(request); }));
  }).then(function () {
    if (path === sheet) return cache.put(url, response);
  });
}

function cacheFirst(request) {
  // Only this worker's own cache: the screen's worker keeps its copies apart.
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url);
  }).then(function (cached) {
    return cached || fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put(request.url, copy); });
      }
      return response;
    });
  });
}
