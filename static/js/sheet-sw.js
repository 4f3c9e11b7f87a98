// Service worker for take-home sheets (/s/..., /p/...): they keep working with no signal.
// Sheet pages: network first, so an online phone always gets the latest; the cache otherwise.
// Fingerprinted assets (?v=...): cache first, they never change under the same URL.
"use strict";

var CACHE = "kiosk-sheets-v1";
var SHEET_PAGE = /^\/(s|p)\/[^/]+(\/manifest\.webmanifest)?$/;

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
        if (response.ok) return cache.put(url, response);
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
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (SHEET_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(request));
  } else if (url.searchParams.has("v") || url.pathname === "/figures.css") {
    event.respondWith(cacheFirst(request));
  }
});

function networkFirst(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request.url, copy); });
    }
    return response;
  }).catch(function () {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request.url);
    }).then(function (cached) {
      return cached || Response.error();
    });
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
