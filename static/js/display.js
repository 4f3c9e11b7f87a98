// The waiting-room screen (templates/display/page.html). htmx fetches and swaps; this file
// decides when: the loop's clock and progress bar, Pause/Play, browsing, the "Still there?"
// prompt, proof of life and the version check, and never going blank when the network or the
// server goes away (slides and panels already seen are shown again until it comes back).
(function () {
  "use strict";

  var CHECK_EVERY_MS = 3000; // a staff change reaches the screen within 5 s
  var PROMPT_SECONDS = 20; // "Still there?" counts down at least this long
  var REMEMBER_AT_MOST = 40; // slides (and panels) kept for when the network goes

  var body = document.body;
  var loop = document.getElementById("loop");
  var panel = document.getElementById("panel");
  var progress = document.querySelector(".progress__fill");
  var pauseLabel = document.querySelector("[data-pause-label]");
  var badge = document.querySelector(".offline-badge");
  var badgeTime = document.querySelector("[data-offline-since]");
  var notice = document.querySelector(".notice");
  var prompt = document.getElementById("still-there");
  var promptCount = document.querySelector("[data-countdown]");
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  // What the screen says from here, in English; a page in another language gives its own in
  // <html data-words> (kiosk/languages.py script_words).
  var WORDS = Object.assign({
    play: "Play",
    pause: "Pause",
    offline: "That will be back as soon as the screen is online again.",
    gone: "That is no longer on this screen.",
  }, JSON.parse(document.documentElement.dataset.words || "{}").display);

  var state = {
    paused: false,
    version: body.dataset.version,
    idleMs: Number(body.dataset.idleMs) || 60000,
    offlineSince: null,
    retryMs: 1000,
    refreshWhenRunning: false,
  };
  var seen = { slides: new Map(), panels: new Map() };
  var first = loop.querySelector(".slide"); // came with the page

  // ---- The loop's clock: one timer per slide, paused and resumed with the progress bar.

  var clock = { timer: 0, stepper: 0, bar: null, total: 15000, remaining: 15000, since: 0 };

  function currentSlide() {
    return loop.querySelector(".slide");
  }

  function inLoop() {
    return body.dataset.mode === "loop";
  }

  function running() {
    return inLoop() && !state.paused && !prompt.open;
  }

  function startClock(ms) {
    stopTimers();
    if (clock.bar) clock.bar.cancel();
    clock.bar = null;
    clock.total = clock.remaining = ms;
    if (!reducedMotion.matches && progress.animate) {
      clock.bar = progress.animate(
        [{ transform: "scaleX(0)" }, { transform: "scaleX(1)" }],
        { duration: ms, fill: "forwards" }
      );
      clock.bar.pause();
    }
    drawProgress();
    updateClock();
  }

  function updateClock() {
    if (running()) {
      if (state.refreshWhenRunning) {
        state.refreshWhenRunning = false;
        advanceNow();
      } else if (!clock.timer) {
        clock.since = performance.now();
        clock.timer = window.setTimeout(timeUp, Math.max(0, clock.remaining));
        if (clock.bar) clock.bar.play();
        else clock.stepper = window.setInterval(drawProgress, Math.min(1000, clock.total / 4));
      }
    } else if (clock.timer) {
      clock.remaining -= performance.now() - clock.since;
      stopTimers();
      if (clock.bar) clock.bar.pause();
    }
  }

  function stopTimers() {
    window.clearTimeout(clock.timer);
    window.clearInterval(clock.stepper);
    clock.timer = clock.stepper = 0;
  }

  // Without motion the bar moves in steps, from here; with motion the animation draws it.
  function drawProgress() {
    if (clock.bar) return;
    var left = clock.timer ? clock.remaining - (performance.now() - clock.since) : clock.remaining;
    var done = Math.min(1, Math.max(0, 1 - left / clock.total));
    progress.style.transform = "scaleX(" + done.toFixed(3) + ")";
  }

  function timeUp() {
    stopTimers();
    clock.remaining = 0;
    nextSlide();
  }

  function advanceNow() {
    stopTimers();
    nextSlide();
  }

  function nextSlide() {
    var slide = currentSlide();
    if (!slide) return;
    if (state.offlineSince) showSeenSlide(slide);
    else window.htmx.trigger(slide, "kiosk:next");
  }

  function slideShown(slide) {
    // A new slide fades in; the first, and any under reduced motion, is simply there.
    if (slide !== first && !reducedMotion.matches && slide.animate) {
      slide.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 500, easing: "ease-out" });
    }
    startClock(Number(slide.dataset.dwellMs) || 15000);
    // Nobody reads this screen's resource timings; left alone they would grow for hours.
    if (document.readyState === "complete") performance.clearResourceTimings();
  }

  function setPaused(paused) {
    state.paused = paused;
    body.dataset.paused = paused ? "yes" : "no";
    pauseLabel.textContent = paused ? WORDS.play : WORDS.pause;
    updateClock();
    armIdle();
  }

  // ---- Browsing: panels swap into #panel; Back or the idle prompt return to the loop.

  function showPanel() {
    if (inLoop()) {
      body.dataset.mode = "panel";
      loop.hidden = true;
      panel.hidden = false;
      updateClock();
    }
    panel.scrollTop = 0;
    fitDemonstrations();
    noteActivity();
  }

  function showLoop(startAfresh) {
    body.dataset.mode = "loop";
    panel.hidden = true;
    loop.hidden = false;
    window.htmx.swap(panel, "", { swapStyle: "innerHTML" });
    if (startAfresh) {
      setPaused(false);
      advanceNow();
    } else {
      updateClock();
    }
    fitDemonstrations();
    armIdle();
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
    window.clearTimeout(notice.timer);
    notice.timer = window.setTimeout(function () { notice.hidden = true; }, 5000);
  }

  // ---- Idle: nobody has touched the screen for a while, and it is not on its loop.

  var idle = { last: performance.now(), timer: 0, countdown: 0, deadline: 0 };

  function noteActivity() {
    idle.last = performance.now();
    armIdle();
  }

  function armIdle() {
    window.clearTimeout(idle.timer);
    idle.timer = 0;
    if ((inLoop() && !state.paused) || prompt.open) return;
    var wait = idle.last + state.idleMs - performance.now();
    idle.timer = window.setTimeout(idleTimeUp, Math.max(0, wait));
  }

  function idleTimeUp() {
    idle.timer = 0;
    if (panel.querySelector(".follow-along.is-running")) {
      noteActivity(); // following the timer is not idling, however long the hold
      return;
    }
    prompt.showModal();
    updateClock();
    idle.deadline = performance.now() + PROMPT_SECONDS * 1000;
    countDown();
  }

  function countDown() {
    var left = Math.ceil((idle.deadline - performance.now()) / 1000);
    if (left <= 0) {
      prompt.close();
      // A patient chose another language: the next one finds the screen in its own again.
      if (body.dataset.away && !state.offlineSince) window.location.assign(body.dataset.homeUrl);
      else showLoop(true);
      return;
    }
    promptCount.textContent = String(left);
    idle.countdown = window.setTimeout(countDown, 250);
  }

  function keepGoing() {
    window.clearTimeout(idle.countdown);
    if (prompt.open) prompt.close();
    updateClock();
    noteActivity();
  }

  // ---- Never blank: remember what was shown; when a request fails, show it again.

  function remember(map, url, html) {
    map.delete(url);
    map.set(url, html);
    if (map.size > REMEMBER_AT_MOST) map.delete(map.keys().next().value);
  }

  // What this screen was given for `url` before: from memory, else from the service worker's
  // cache (after a fresh load while the server was down).
  function recall(map, url) {
    if (map.has(url)) return Promise.resolve(map.get(url));
    if (!window.caches) return Promise.resolve(null);
    var request = new Request(url, { headers: { "HX-Request": "true" } });
    return window.caches.match(request).then(function (response) {
      return response ? response.text() : null;
    }).catch(function () { return null; });
  }

  function showSeenSlide(slide) {
    showable(slide.getAttribute("hx-get"), 0).then(function (html) {
      if (!slide.isConnected) return;
      html = html || anotherSeenSlide(slide);
      if (html) window.htmx.swap(slide, html, { swapStyle: "outerHTML" });
      else slideShown(slide); // nothing else seen yet: this one stays, and we try again
    });
  }

  // The slide seen for `url`, or, when it is a notice whose last day has passed since (on its
  // clinic's clock: data-ends-at), the one after it: offline, the loop drops an ended notice
  // as the server would have.
  function showable(url, hops) {
    return recall(seen.slides, url).then(function (html) {
      if (!html || !hasEnded(html)) return html;
      return hops < REMEMBER_AT_MOST ? showable(slideAfter(html), hops + 1) : null;
    });
  }

  function parsedSlide(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html; // inert: a template's content runs nothing and loads nothing
    return holder.content.querySelector(".slide");
  }

  function hasEnded(html) {
    var slide = parsedSlide(html);
    var endsAt = slide && slide.dataset.endsAt;
    return Boolean(endsAt) && Date.parse(endsAt) <= Date.now();
  }

  function slideAfter(html) {
    var slide = parsedSlide(html);
    return slide ? slide.getAttribute("hx-get") : null;
  }

  function anotherSeenSlide(slide) {
    var found = null;
    seen.slides.forEach(function (html, url) {
      if (!found && url !== slide.dataset.url && !hasEnded(html)) found = html;
    });
    return found;
  }

  function showSeenPanel(url) {
    recall(seen.panels, url).then(function (html) {
      if (html) window.htmx.swap(panel, html, { swapStyle: "innerHTML" });
      else showNotice(WORDS.offline);
    });
  }

  function goOffline() {
    if (state.offlineSince) return false;
    state.offlineSince = new Date();
    var time = state.offlineSince;
    badgeTime.textContent = clockTime(time);
    badgeTime.dateTime = time.toISOString();
    badge.hidden = false;
    body.dataset.connection = "offline";
    state.retryMs = 1000;
    scheduleCheck(state.retryMs);
    return true;
  }

  function goOnline() {
    if (!state.offlineSince) return false;
    state.offlineSince = null;
    badge.hidden = true;
    body.dataset.connection = "online";
    return true;
  }

  // The time as the page's language writes it, in an Australian clinic (2:05 pm; 下午2:05),
  // in the digits the rest of the screen uses.
  function clockTime(time) {
    var locale = (document.documentElement.lang || "en") + "-AU";
    try {
      return time.toLocaleTimeString(locale, { hour: "numeric", minute: "2-digit", numberingSystem: "latn" });
    } catch (error) {
      return time.getHours() + ":" + (time.getMinutes() < 10 ? "0" : "") + time.getMinutes();
    }
  }

  function requestFailed(event) {
    var detail = event.detail;
    var target = detail.target;
    goOffline();
    if (target && target.classList.contains("slide")) showSeenSlide(target);
    else if (target === panel) showSeenPanel(detail.pathInfo.requestPath);
  }

  // ---- Proof of life and the version check: one small request every few seconds.

  var checkTimer = 0;

  function scheduleCheck(ms) {
    window.clearTimeout(checkTimer);
    checkTimer = window.setTimeout(check, ms);
  }

  function showing() {
    if (prompt.open) return "Asking “Still there?”";
    if (!inLoop()) {
      var view = panel.querySelector("[data-label]");
      var doing = panel.querySelector(".follow-along.is-running") ? "Following along: " : "Browsing: ";
      return doing + (view ? view.dataset.label : "");
    }
    var slide = currentSlide();
    return (state.paused ? "Paused: " : "") + (slide ? slide.dataset.label : "");
  }

  function check() {
    var url = body.dataset.checkUrl + (body.dataset.checkUrl.indexOf("?") === -1 ? "?" : "&") +
      "showing=" + encodeURIComponent(showing());
    window.fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("check answered " + response.status);
        return response.json();
      })
      .then(function (status) {
        state.idleMs = status.idle_ms || state.idleMs;
        if (status.shell !== body.dataset.shell && reloadForNewRelease(status.shell)) return;
        var changed = status.version !== state.version;
        state.version = status.version;
        // Back online, or staff changed something: fresh slides now, not after this one.
        if (goOnline() || changed) refresh();
        scheduleCheck(CHECK_EVERY_MS);
      })
      .catch(function () {
        if (!goOffline()) {
          // Try again soon, then less often; but at least twice a slide, so that live slides
          // are back within one slide of the server's return.
          state.retryMs = Math.min(state.retryMs * 2, Math.max(1000, clock.total / 2));
          scheduleCheck(state.retryMs);
        }
      });
  }

  function refresh() {
    if (running()) advanceNow();
    else state.refreshWhenRunning = true;
  }

  // A new release of the app changes the screen's own files: load them, once, between slides.
  function reloadForNewRelease(shell) {
    if (!running()) return false;
    try {
      if (window.sessionStorage.getItem("kiosk-reloaded-for") === shell) return false;
      window.sessionStorage.setItem("kiosk-reloaded-for", shell);
    } catch (error) {
      return false;
    }
    window.location.reload();
    return true;
  }

  // ---- Demonstrations fill their box but keep their drawing's proportions: its framing (a
  // close-up on the neck, say) crops on purpose, and stretching the box would show what it crops.

  function fitDemonstrations() {
    document.querySelectorAll("[data-fit] > .demo > .demo-animated").forEach(function (drawing) {
      var box = drawing.parentElement.parentElement.getBoundingClientRect();
      var view = drawing.viewBox && drawing.viewBox.baseVal;
      if (!view || !view.width || !box.width || !box.height) return;
      var scale = Math.min(box.width / view.width, box.height / view.height);
      drawing.style.width = Math.floor(view.width * scale) + "px";
      drawing.style.height = Math.floor(view.height * scale) + "px";
    });
  }

  window.addEventListener("resize", fitDemonstrations);

  // ---- Kiosk manners: stay awake; no selecting, context menu, dragging or zooming.

  var wakeLock = null;

  function stayAwake() {
    if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
    if (body.dataset.preview) return; // a preview in the staff console keeps no laptop awake
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      lock.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () {});
  }

  function refuse(event) {
    event.preventDefault();
  }

  ["contextmenu", "selectstart", "dragstart", "gesturestart"].forEach(function (name) {
    document.addEventListener(name, refuse);
  });
  document.addEventListener("wheel", function (event) {
    if (event.ctrlKey) event.preventDefault();
  }, { passive: false });
  document.addEventListener("touchmove", function (event) {
    if (event.touches.length > 1) event.preventDefault();
  }, { passive: false });
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && ["+", "-", "=", "0"].indexOf(event.key) !== -1) {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", stayAwake);

  // ---- Wiring.

  document.addEventListener("pointerdown", noteActivity, true);
  document.addEventListener("keydown", noteActivity, true);
  document.addEventListener("follow-along:stop", noteActivity);
  document.addEventListener("follow-along:end", noteActivity);

  document.addEventListener("click", function (event) {
    if (event.target === prompt) {
      keepGoing(); // a tap outside the prompt's box
      return;
    }
    var language = event.target.closest ? event.target.closest("[data-language-link]") : null;
    if (language && state.offlineSince) {
      event.preventDefault(); // a page the screen may never have kept: stay, and say why
      showNotice(WORDS.offline);
      return;
    }
    var control = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!control) return;
    var action = control.dataset.action;
    if (action === "pause") setPaused(!state.paused);
    else if (action === "loop") showLoop(false);
    else if (action === "keep-going") keepGoing();
  });
  prompt.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepGoing();
  });

  body.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status !== 200) return;
    if (detail.xhr.getResponseHeader("Kiosk-Offline")) goOffline();
    else if (goOnline()) scheduleCheck(CHECK_EVERY_MS);
    var map = detail.target === panel ? seen.panels : seen.slides;
    remember(map, detail.pathInfo.requestPath, detail.serverResponse);
  });
  body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target !== panel || !panel.firstElementChild) return;
    showPanel();
    // The tapped button has gone: keep keyboard and screen reader users at the top of the view.
    var back = panel.querySelector(".back");
    if (back) back.focus({ preventScroll: true });
  });
  body.addEventListener("htmx:sendError", requestFailed);
  body.addEventListener("htmx:timeout", requestFailed);
  body.addEventListener("htmx:responseError", function (event) {
    var detail = event.detail;
    if (detail.xhr.status >= 500) requestFailed(event);
    else if (detail.target === panel) showNotice(WORDS.gone);
    else if (detail.target && detail.target.classList.contains("slide")) slideShown(detail.target);
  });

  // The first slide came with the page: remember it as it was, before htmx touches it.
  if (first) remember(seen.slides, first.dataset.url, first.outerHTML);

  window.htmx.onLoad(function (element) {
    if (element === body) {
      if (!inLoop()) showPanel();
      if (first) slideShown(first);
      scheduleCheck(CHECK_EVERY_MS);
      stayAwake();
    } else if (element.classList && element.classList.contains("slide")) {
      slideShown(element);
    }
    fitDemonstrations();
  });

  // The service worker (where the browser allows one) keeps this page and its files, so a
  // reload while the server is down still shows the loop. Hand it what loaded before it ran.
  function filesLoaded() {
    var urls = [window.location.href];
    performance.getEntriesByType("resource").forEach(function (entry) {
      var type = entry.initiatorType;
      if (entry.name.indexOf(window.location.origin + "/") === 0 && (type === "link" || type === "script")) {
        urls.push(entry.name);
      }
    });
    return urls;
  }

  if ("serviceWorker" in navigator && !body.dataset.preview) {
    window.addEventListener("load", function () {
      var urls = filesLoaded();
      navigator.serviceWorker
        .register(body.dataset.workerUrl, { scope: body.dataset.workerScope })
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (registration) { registration.active.postMessage({ keep: urls }); })
        .catch(function () {});
    });
  }
})();
