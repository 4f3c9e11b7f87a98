// Steps that move with the picture, on the waiting-room screen and the phone sheet. Beside a
// drawn demonstration, the numbered step it is showing is marked (aria-current="step") as it
// plays; tapping a step (where the list says data-step-list="tap") shows that step's key poses,
// still, in the animation's place until the step is tapped again or Play is pressed. In every
// drawn demonstration, steps or none, the stopwatch and glows of a held pose show while it is held.
//
// The demonstration says when each step begins in its loop (data-step-timeline) and when its
// held poses' marks come and go (data-mark-timeline), both from the same moves as its CSS
// keyframes (kiosk/figures/motion.py); the time is read from the running animation itself, so
// the mark keeps in step after htmx swaps, slide changes and hidden tabs. The cost: one timer per
// demonstration, set for the next change, and no work per frame (as CSS animations, the marks
// made the main thread restyle them every frame of the loop). A demonstration is followed only
// while it is on the screen or near it: reading its animation makes the browser bring the styles
// of the whole page up to date, and a phone sheet's seven drawings, read as it loads, cost the
// first second of a slow phone (its cards out of view are not even laid out, sheet.css).
// Where the loop holds still (data-still-timeline: a held pose, mostly), its animations are
// paused until the hold ends and then go on from there: a running CSS animation makes the main
// thread restyle the drawing every frame even while nothing in it moves, and the holds are a
// third to a half of every loop.
// Under reduced motion nothing moves and nothing is marked: the key poses carry the numbers.
(function () {
  "use strict";

  // What it says, in English; a page in another language gives its own in <html data-words>
  // (kiosk/languages.py script_words).
  var WORDS = {
    hint: "Tap a step to see its pose; tap it again to play.",
    play: "Play",
  };
  try {
    Object.assign(WORDS, JSON.parse(document.documentElement.dataset.words || "{}").steps);
  } catch (error) { /* the English stays */ }
  var LOOK_AGAIN_MS = 1000; // while the animation is not running (hidden, paused, not yet there)
  var SHORTEST_PAUSE = 0.2; // seconds: less than this left of a stillness, it runs on
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  var followers = [];
  // Ticks only while near the screen; where there is no IntersectionObserver, always.
  var nearView = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      var follower = followerOf(entry.target);
      if (!follower) return;
      follower.inView = entry.isIntersecting;
      if (entry.isIntersecting) tick(follower);
      else stop(follower);
    });
  }, { rootMargin: "50% 0px" }) : null;

  // "0:1 0.8:2 4:3" -> [{at: 0, step: 1}, {at: 0.8, step: 2}, {at: 4, step: 3}]
  function timeline(demo) {
    return (demo.dataset.stepTimeline || "").split(" ").filter(Boolean).map(function (part) {
      var pair = part.split(":");
      return { at: Number(pair[0]), step: Number(pair[1]) };
    });
  }

  // "0:- 2.8:hold,hg-0 4.8:-" -> [{at: 0, shown: []}, {at: 2.8, shown: ["hold", "hg-0"]}, ...]
  function markTimeline(demo) {
    return (demo.dataset.markTimeline || "").split(" ").filter(Boolean).map(function (part) {
      var pair = part.split(":");
      return { at: Number(pair[0]), shown: pair[1] === "-" ? [] : pair[1].split(",") };
    });
  }

  // "0-0.8 2.8-4.8" -> [{from: 0, until: 0.8}, {from: 2.8, until: 4.8}]
  function stillTimeline(demo) {
    return (demo.dataset.stillTimeline || "").split(" ").filter(Boolean).map(function (part) {
      var pair = part.split("-");
      return { from: Number(pair[0]), until: Number(pair[1]) };
    });
  }

  function stepsOf(pose) {
    return (pose.dataset.step || "").split(" ").filter(Boolean).map(Number);
  }

  function followerOf(demo) {
    return followers.filter(function (f) { return f.demo === demo; })[0];
  }

  // A demonstration's clock: its held poses' marks, and the steps of `list` if it has one.
  function follow(demo, list) {
    if (!demo || followerOf(demo)) return;
    var items = list ? Array.prototype.filter.call(list.children, function (child) {
      return child.tagName === "LI";
    }) : [];
    if (list && Number(demo.dataset.stepCount) !== items.length) {
      // The stretch's steps are not the article's any more: the drawing's numbers would lie.
      demo.classList.add("demo--steps-unknown");
      list = null;
      items = [];
    }
    var drawing = demo.querySelector(".demo-animated");
    var markRuns = markTimeline(demo);
    var marks = {}; // class -> the elements that carry it, in every drawing order's copy
    markRuns.forEach(function (run) {
      run.shown.forEach(function (name) {
        marks[name] = drawing ? drawing.querySelectorAll("." + name) : [];
      });
    });
    var follower = {
      list: list, demo: demo, items: items, runs: list ? timeline(demo) : [],
      markRuns: markRuns, marks: marks, shown: null, stills: stillTimeline(demo),
      pausedUntil: null, wakeAt: 0, // while paused: the loop's time to go on from, and when
      marked: 0, held: 0, timer: 0, buttons: [], play: null, inView: !nearView,
    };
    if (!follower.runs.length && !follower.markRuns.length && !follower.stills.length) return;
    followers.push(follower);
    if (list && list.dataset.stepList === "tap") offerPoses(follower);
    if (nearView) nearView.observe(demo); // it ticks once it is seen
    else tick(follower);
  }

  function stop(follower) {
    window.clearTimeout(follower.timer);
    follower.timer = 0;
  }

  function letGo(follower) {
    stop(follower);
    if (nearView) nearView.unobserve(follower.demo);
  }

  function followList(list) {
    var scope = list.closest("[data-step-scope]");
    follow(scope && scope.querySelector(".demo[data-step-timeline]"), list);
  }

  // ---- Marking the step being shown.

  function animationsOf(demo) {
    var drawing = demo.querySelector(".demo-animated");
    return drawing && drawing.getAnimations ? drawing.getAnimations({ subtree: true }) : [];
  }

  function animationOf(demo) {
    return animationsOf(demo)[0] || null;
  }

  // The run of `runs` under way `at` seconds into the loop, and when the next one begins.
  function runAt(runs, at, loopSeconds) {
    var index = 0;
    while (index + 1 < runs.length && runs[index + 1].at <= at) index += 1;
    var next = index + 1 < runs.length ? runs[index + 1].at : loopSeconds;
    return { run: runs[index], until: next };
  }

  function tick(follower) {
    stop(follower);
    if (!follower.demo.isConnected || (follower.list && !follower.list.isConnected)) {
      letGo(follower);
      followers.splice(followers.indexOf(follower), 1);
      return;
    }
    if (follower.held) return; // a tapped step stays until Play
    if (!follower.inView) return; // once seen again, it ticks again
    if (reducedMotion.matches) {
      mark(follower, 0); // nothing moves, so no step is "now"; the media query wakes us
      return;
    }
    if (follower.pausedUntil !== null) {
      var early = follower.wakeAt - performance.now();
      if (early > 20) { // woken by something else (seen again, say): the stillness goes on
        follower.timer = window.setTimeout(tick, early, follower);
        return;
      }
      goOn(follower, follower.pausedUntil);
    }
    var animation = animationOf(follower.demo);
    var timing = animation && animation.effect.getComputedTiming();
    if (!animation || animation.currentTime === null || !(timing.duration > 0)) {
      mark(follower, 0);
      follower.timer = window.setTimeout(tick, LOOK_AGAIN_MS, follower);
      return;
    }
    var loopSeconds = timing.duration / 1000;
    var at = (animation.currentTime / 1000) % loopSeconds;
    var until = loopSeconds;
    if (follower.runs.length) {
      var step = runAt(follower.runs, at, loopSeconds);
      mark(follower, step.run.step);
      until = Math.min(until, step.until);
    }
    if (follower.markRuns.length) {
      var marks = runAt(follower.markRuns, at, loopSeconds);
      showMarks(follower, marks.run.shown);
      until = Math.min(until, marks.until);
    }
    var rate = animation.playState === "running" ? animation.playbackRate : 0;
    // Not before the stillness begins by the animation's own clock, which is the last frame's
    // time: a pause a moment early would freeze the marks of the move before it.
    var still = rate > 0 && follower.stills.filter(function (run) {
      return run.from <= at && at < run.until - SHORTEST_PAUSE;
    })[0];
    if (still) {
      pause(follower, animation.currentTime + (still.until - at) * 1000,
        ((still.until - at) * 1000) / rate);
      return;
    }
    var wait = rate > 0 ? ((until - at) * 1000) / rate + 20 : LOOK_AGAIN_MS;
    follower.timer = window.setTimeout(tick, Math.min(Math.max(wait, 20), 60000), follower);
  }

  // Nothing moves until the loop's time `until` (ms), `wait` ms from now: the drawing's
  // animations stop asking for frames meanwhile, and then go on from `until` exactly.
  function pause(follower, until, wait) {
    animationsOf(follower.demo).forEach(function (animation) { animation.pause(); });
    follower.pausedUntil = until;
    follower.wakeAt = performance.now() + wait;
    follower.demo.classList.add("is-still");
    follower.timer = window.setTimeout(tick, wait, follower);
  }

  function goOn(follower, from) {
    follower.pausedUntil = null;
    follower.demo.classList.remove("is-still");
    animationsOf(follower.demo).forEach(function (animation) {
      animation.currentTime = from;
      animation.play();
    });
  }

  // The stopwatch and glows as presentation attributes: no inline style for the CSP to refuse.
  function showMarks(follower, shown) {
    var key = shown.join(",");
    if (follower.shown === key) return;
    follower.shown = key;
    Object.keys(follower.marks).forEach(function (name) {
      var opacity = shown.indexOf(name) === -1 ? "0" : "1";
      Array.prototype.forEach.call(follower.marks[name], function (element) {
        element.setAttribute("opacity", opacity);
      });
    });
  }

  function mark(follower, step) {
    if (!follower.list || follower.marked === step) return;
    follower.marked = step;
    follower.items.forEach(function (item, index) {
      if (index + 1 === step) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
  }

  // ---- Tapping a step: its key poses, still, until tapped again or Play.

  function offerPoses(follower) {
    if (reducedMotion.matches) return; // every key pose is already there, numbered
    var posed = {};
    follower.demo.querySelectorAll(".demo-pose[data-step]").forEach(function (pose) {
      stepsOf(pose).forEach(function (step) { posed[step] = true; });
    });
    var hint = document.createElement("p");
    hint.className = "steps-hint";
    hint.id = "steps-hint-" + Math.random().toString(36).slice(2, 10);
    hint.textContent = WORDS.hint;
    follower.items.forEach(function (item, index) {
      var step = index + 1;
      if (!posed[step]) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "step-show";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("aria-describedby", hint.id);
      while (item.firstChild) button.appendChild(item.firstChild);
      item.appendChild(button);
      button.addEventListener("click", function () {
        if (follower.held === step) play(follower);
        else hold(follower, step);
      });
      follower.buttons[step] = button;
    });
    follower.list.insertAdjacentElement("afterend", hint);
    var playButton = document.createElement("button");
    playButton.type = "button";
    playButton.className = "demo-play";
    playButton.hidden = true;
    playButton.innerHTML = '<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
      '<path d="M7 4.5v15l12-7.5z"/></svg>';
    playButton.appendChild(document.createTextNode(WORDS.play));
    playButton.addEventListener("click", function () { play(follower); });
    var poses = follower.demo.querySelector(".demo-poses"); // Play goes right under them
    follower.demo.insertBefore(playButton, poses ? poses.nextSibling : null);
    follower.play = playButton;
  }

  function hold(follower, step) {
    stop(follower);
    follower.pausedUntil = null; // the animation goes (below), and Play starts it again
    follower.demo.classList.remove("is-still");
    follower.held = step;
    follower.demo.querySelectorAll(".demo-pose").forEach(function (pose) {
      pose.classList.toggle("is-held", stepsOf(pose).indexOf(step) !== -1);
    });
    follower.demo.classList.add("is-holding"); // the animation goes, and with it its work
    pressed(follower, step);
    mark(follower, step);
    follower.play.hidden = false;
  }

  // Play again from the beginning of the step that was held.
  function play(follower) {
    var step = follower.held;
    follower.held = 0;
    follower.demo.classList.remove("is-holding");
    follower.play.hidden = true;
    pressed(follower, 0);
    var from = follower.runs.filter(function (run) { return run.step === step; })[0];
    if (from) goOn(follower, from.at * 1000);
    tick(follower);
  }

  function pressed(follower, step) {
    follower.buttons.forEach(function (button, index) {
      if (button) button.setAttribute("aria-pressed", index === step ? "true" : "false");
    });
  }

  // ---- Wiring: the page as it came, anything htmx swaps in later, and the motion setting.

  function start(root) {
    if (!root || !root.querySelectorAll) return;
    // Let go of what was swapped away, timers and all, so that no old slide is kept alive.
    followers = followers.filter(function (follower) {
      if (follower.demo.isConnected && (!follower.list || follower.list.isConnected)) return true;
      letGo(follower);
      return false;
    });
    if (root.matches && root.matches("[data-step-list]")) followList(root);
    root.querySelectorAll("[data-step-list]").forEach(followList);
    // Drawings with no steps beside them: their held poses' marks still follow the loop.
    if (root.matches && root.matches(".demo[data-mark-timeline]")) follow(root, null);
    root.querySelectorAll(".demo[data-mark-timeline]").forEach(function (demo) {
      follow(demo, null);
    });
  }

  reducedMotion.addEventListener("change", function () {
    followers.slice().forEach(function (follower) {
      if (follower.held) play(follower);
      tick(follower);
    });
  });
  document.addEventListener("htmx:load", function (event) { start(event.target); });
  start(document);
})();
