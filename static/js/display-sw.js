// Service worker for the waiting-room screens, served among the screens' addresses so that its
// scope is theirs and nothing else (the take-home sheets have their own); the page registers it
// with that scope. A screen loaded while the server is down still shows its loop.
// - Screen pages, slides and panels: network first, within a few seconds; else the last copy,
//   marked with a Kiosk-Offline header so the screen shows its "offline since" badge.
// - Fingerprinted files (?v=...): cache first; they never change under the same URL. Uploaded
//   videos too, kept whole and answered in the ranges a video element asks for.
// - A screen's check (the version check and proof of life) always goes to the network.
// - A pairing link (the screen's address, then ROUTES.pairing and the key) holds the screen's
//   key: never kept; while the server is away the screen waits and tries the link again. So
//   is a new screen's code to join by (ROUTES.joining): a kept one would be out of date.
"use strict";

var PAGES = "kiosk-display-pages-v1";
var FILES = "kiosk-display-files-v1";
var KEEP_PAGES = 120;
var NETWORK_WAIT_MS = 5000;
var SCOPE = new URL(self.registration.scope).pathname;
// What a screen's check and pairing addresses add to the screen's own ("check", "pairing"),
// and a new screen's page to join by, within the scope ("joining"):
// a worker cannot call url_for, so the server writes them in (kiosk/display, service_worker).
var ROUTES = {/* the server writes the routes here */};

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("kiosk-display-") === 0 && name !== PAGES && name !== FILES;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return self.clients.claim();
  }));
});

// The screen sends its own address and the files it loaded before this worker was running.
self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.keep) || [];
  event.waitUntil(Promise.all(urls.map(function (url) {
    var request = new Request(url, { credentials: "same-origin" });
    if (!isFingerprinted(new URL(url))) {
      return fetch(request).then(function (response) {
        if (response.ok) return keepPage(request, response);
      }).catch(function () {});
    }
    return caches.open(FILES).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) return keepFile(cache, request, response);
        });
      });
    }).catch(function () {});
  })));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (isFingerprinted(url)) {
    event.respondWith(cacheFirst(event));
  } else if (url.pathname.indexOf(SCOPE) === 0) {
    if (isCheck(url) || url.pathname === self.location.pathname) return;
    if (isPairingLink(url) || isJoining(url)) event.respondWith(networkOnly(request));
    else event.respondWith(networkFirst(event));
  } else {
    event.respondWith(fetch(request).catch(function () {
      return caches.match(request, { cacheName: FILES }).then(function (hit) {
        return hit || Response.error();
      });
    }));
  }
});

function isFingerprinted(url) {
  return url.searchParams.has("v");
}

function isCheck(url) {
  return url.pathname.endsWith(ROUTES.check);
}

// The screen's address is the scope and one segment, its name.
function isPairingLink(url) {
  var screenAndAfter = url.pathname.slice(SCOPE.length);
  var after = screenAndAfter.indexOf("/");
  return after !== -1 && screenAndAfter.startsWith(ROUTES.pairing, after);
}

function isJoining(url) {
  var after = url.pathname.slice(SCOPE.length);
  return after === ROUTES.joining || after.indexOf(ROUTES.joining + "/") === 0;
}

function networkOnly(request) {
  return fetch(request).catch(function () {
    return request.mode === "navigate" ? waitingPage(request) : Response.error();
  });
}

function networkFirst(event) {
  var request = event.request;
  return withinTime(fetch(request), NETWORK_WAIT_MS).then(function (response) {
    if (response.status >= 500) throw new Error("the server answered " + response.status);
    if (response.ok) event.waitUntil(keepPage(request, response.clone()));
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(request);
    }).then(function (cached) {
      if (cached) return markedOffline(cached);
      return request.mode === "navigate" ? waitingPage(request) : Response.error();
    });
  });
}

function cacheFirst(event) {
  var request = event.request;
  var range = request.headers.get("Range");
  return caches.open(FILES).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return range ? partOf(hit, range) : hit;
      if (range) {
        event.waitUntil(keepWhole(cache, request.url));
        return fetch(request);
      }
      return fetch(request).then(function (response) {
        if (response.ok) event.waitUntil(keepFile(cache, request, response.clone()));
        return response;
      });
    });
  });
}

// A video asks for its file in ranges, and the Cache API cannot keep a part (206). So the
// whole file is fetched once, beside the video's own requests, and every range is cut from
// it: an uploaded video plays on while the server is away, like everything else.
var fetchingWhole = {};

function keepWhole(cache, url) {
  if (!fetchingWhole[url]) {
    var whole = new Request(url, { credentials: "same-origin" });
    fetchingWhole[url] = fetch(whole).then(function (response) {
      if (response.status === 200) return keepFile(cache, whole, response);
    }).catch(function () {}).then(function () {
      delete fetchingWhole[url];
    });
  }
  return fetchingWhole[url];
}

// The part of a kept file that a Range header asks for: "bytes=first-last", "bytes=first-"
// or "bytes=-count" (one range: what media elements send).
function partOf(response, range) {
  var asked = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  return response.blob().then(function (blob) {
    var size = blob.size;
    var first = NaN, last = size - 1;
    if (asked && asked[1] !== "") {
      first = Number(asked[1]);
      if (asked[2] !== "") last = Math.min(Number(asked[2]), size - 1);
    } else if (asked && asked[2] !== "") {
      first = Math.max(0, size - Number(asked[2]));
    }
    if (!(first <= last)) {
      return new Response(null, { status: 416, headers: { "Content-Range": "bytes */" + size } });
    }
    var headers = new Headers(response.headers);
    headers.set("Content-Range", "bytes " + first + "-" + last + "/" + size);
    headers.set("Content-Length", String(last - first + 1));
    return new Response(blob.slice(first, last + 1), {
      status: 206, statusText: "Partial Content", headers: headers,
    });
  });
}

function withinTime(promise, ms) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("no answer in time")); }, ms);
    promise.then(function (value) {
      clearTimeout(timer);
      resolve(value);
    }, function (error) {
      clearTimeout(timer);
      reject(error);
    });
  });
}

// Keep the newest copy of a page; unchanged copies (same ETag) are not written again, so a
// screen cycling all day does not wear out a Raspberry Pi's SD card.
function keepPage(request, response) {
  return caches.open(PAGES).then(function (cache) {
    return cache.match(request).then(function (old) {
      var tag = response.headers.get("ETag");
      if (old && tag && old.headers.get("ETag") === tag) return;
      return cache.put(request, response).then(function () {
        return cache.keys();
      }).then(function (keys) {
        return Promise.all(keys.slice(0, Math.max(0, keys.length - KEEP_PAGES)).map(function (key) {
          return cache.delete(key);
        }));
      });
    });
  }).catch(function () {});
}

// Keep one version of each file: a new release's fingerprint replaces the old one.
function keepFile(cache, request, response) {
  var path = new URL(request.url).pathname;
  return cache.put(request, response).then(function () {
    return cache.keys();
  }).then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.url !== request.url && new URL(key.url).pathname === path;
    }).map(function (key) { return cache.delete(key); }));
  }).catch(function () {});
}

function markedOffline(response) {
  var headers = new Headers(response.headers);
  headers.set("Kiosk-Offline", "1");
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: headers,
  });
}

// A screen switched on for the first time while the server is down: say so, in the language
// its address asks for (ROUTES.waiting: each offered language's words, escaped by the server),
// and try again.
function waitingPage(request) {
  var words = ROUTES.waiting[new URL(request.url).searchParams.get("lang")] || ROUTES.waiting[""];
  var html = "<!doctype html><html lang=\"" + words.lang + "\" dir=\"" + words.dir + "\">" +
    "<head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"15\">" +
    "<title>" + words.title + "</title></head>" +
    "<body><main><h1>" + words.heading + "</h1><p>" + words.text + "</p>" +
    "</main></body></html>";
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
