// The follow-along timer (templates/shared/follow_along.html), on the waiting-room screen and
// the phone sheet. The article's rhythm: breathe in, stretch while breathing out, hold, rest;
// every repetition on one side, then the other. Starts every [data-follow-along] on the page
// and any that htmx swaps in later. Time is read from the clock on every tick, so a busy or
// sleeping device catches up instead of drifting.
(function () {
  "use strict";

  var TICK_MS = 200;
  // The words it says, in English; a page in another language gives its own in <html
  // data-words> (kiosk/languages.py script_words), and any it leaves out stay as here.
  var WORDS = {
    in: "Breathe in",
    out: "Breathe out and stretch",
    hold: "Hold",
    rest: "Release and rest",
    side: { left: "Left side", right: "Right side", forwards: "Forwards", backwards: "Backwards" },
    next: {
      left: "Release, then change sides: left side next",
      right: "Release, then change sides: right side next",
      forwards: "Release, then change sides: forwards next",
      backwards: "Release, then change sides: backwards next",
    },
    rep: "Repetition %(rep)s of %(of)s",
  };
  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function seconds(element, name, fallback) {
    var value = parseInt(element.dataset[name], 10);
    return value > 0 ? value : fallback;
  }

  function pageWords() {
    var given = {};
    try {
      given = JSON.parse(document.documentElement.dataset.words || "{}").follow || {};
    } catch (error) {
      given = {};
    }
    var words = {};
    Object.keys(WORDS).forEach(function (key) {
      var english = WORDS[key];
      var own = given[key];
      if (typeof english === "string") words[key] = typeof own === "string" ? own : english;
      else words[key] = Object.assign({}, english, own && typeof own === "object" ? own : {});
    });
    return words;
  }

  function sideName(words, side) {
    if (!side) return "";
    return words.side[side] || side.charAt(0).toUpperCase() + side.slice(1);
  }

  // Every phase of the whole stretch, in order: [{name, seconds, side, rep}].
  function phasesOf(element) {
    var hold = seconds(element, "holdSeconds", 10);
    var repetitions = seconds(element, "repetitions", 3);
    var breatheIn = seconds(element, "breatheInSeconds", 4);
    var breatheOut = seconds(element, "breatheOutSeconds", 4);
    var rest = seconds(element, "restSeconds", 5);
    var sides;
    try {
      sides = JSON.parse(element.dataset.sides || "[]");
    } catch (error) {
      sides = [];
    }
    if (!sides.length) sides = [null];
    var phases = [];
    sides.forEach(function (side, index) {
      for (var rep = 1; rep <= repetitions; rep += 1) {
        phases.push({ name: "in", seconds: breatheIn, side: side, rep: rep });
        phases.push({ name: "out", seconds: breatheOut, side: side, rep: rep });
        phases.push({ name: "hold", seconds: hold, side: side, rep: rep });
        if (rep < repetitions) {
          phases.push({ name: "rest", seconds: rest, side: side, rep: rep });
        } else if (index < sides.length - 1) {
          phases.push({ name: "switch", seconds: rest, side: sides[index + 1], rep: 0 });
        }
      }
    });
    return { phases: phases, repetitions: repetitions };
  }

  function FollowAlong(element) {
    this.element = element;
    this.words = pageWords();
    this.ready = element.querySelector(".follow-along__ready");
    this.run = element.querySelector(".follow-along__run");
    this.done = element.querySelector("[data-follow-along-done]");
    this.count = element.querySelector("[data-follow-along-count]");
    this.cue = element.querySelector("[data-follow-along-cue]");
    this.side = element.querySelector("[data-follow-along-side]");
    this.rep = element.querySelector("[data-follow-along-rep]");
    this.arc = element.querySelector(".follow-along__arc");
    this.startButton = element.querySelector("[data-follow-along-start]");
    this.stopButton = element.querySelector("[data-follow-along-stop]");
    this.timer = 0;
    this.ring = null;
    this.lock = null;
    this.startButton.addEventListener("click", this.start.bind(this));
    this.stopButton.addEventListener("click", this.stop.bind(this));
  }

  FollowAlong.prototype.start = function () {
    var plan = phasesOf(this.element);
    this.phases = plan.phases;
    this.repetitions = plan.repetitions;
    this.index = -1;
    this.running = true;
    this.element.classList.add("is-running");
    this.ready.hidden = true;
    this.done.hidden = true;
    this.run.hidden = false;
    this.enter(0, performance.now());
    this.tick();
    this.keepAwake();
    this.stopButton.focus({ preventScroll: true });
    this.emit("follow-along:start");
  };

  FollowAlong.prototype.enter = function (index, startedAt) {
    var phase = this.phases[index];
    this.index = index;
    this.phaseStart = startedAt;
    this.phaseEnd = startedAt + phase.seconds * 1000;
    this.element.dataset.phase = phase.name;
    var words = this.words;
    this.cue.textContent = phase.name === "switch" ? words.next[phase.side] || "" : words[phase.name];
    this.side.textContent = sideName(words, phase.side);
    this.side.hidden = !phase.side;
    this.rep.textContent = phase.rep
      ? words.rep.replace("%(rep)s", phase.rep).replace("%(of)s", this.repetitions) : "";
    this.animateRing(phase);
  };

  // The ring fills while breathing in and empties through every other phase. Under reduced
  // motion it does not glide: draw() moves it once a second with the numbers.
  FollowAlong.prototype.animateRing = function (phase) {
    if (this.ring) this.ring.cancel();
    this.ring = null;
    if (reducedMotion.matches || !this.arc.animate) return;
    var full = { strokeDashoffset: 0 };
    var empty = { strokeDashoffset: 100 };
    this.ring = this.arc.animate(phase.name === "in" ? [empty, full] : [full, empty], {
      duration: phase.seconds * 1000,
      fill: "forwards",
    });
    this.ring.currentTime = Math.max(0, performance.now() - this.phaseStart);
  };

  FollowAlong.prototype.tick = function () {
    this.timer = 0;
    if (!this.running) return;
    if (!this.element.isConnected) {
      this.halt();
      return;
    }
    var now = performance.now();
    while (now >= this.phaseEnd) {
      if (this.index + 1 >= this.phases.length) {
        this.finish(true);
        return;
      }
      this.enter(this.index + 1, this.phaseEnd);
    }
    this.draw(now);
    this.timer = window.setTimeout(this.tick.bind(this), TICK_MS);
  };

  FollowAlong.prototype.draw = function (now) {
    var left = Math.ceil((this.phaseEnd - now) / 1000);
    var text = String(left);
    if (this.count.textContent !== text) this.count.textContent = text;
    if (!this.ring) {
      var total = this.phases[this.index].seconds;
      var gone = (total - left) / total;
      var shown = this.phases[this.index].name === "in" ? 1 - gone : gone;
      this.arc.style.strokeDashoffset = String(Math.round(shown * 100));
    }
  };

  FollowAlong.prototype.stop = function () {
    this.finish(false);
  };

  FollowAlong.prototype.finish = function (completed) {
    this.halt();
    this.element.classList.remove("is-running");
    delete this.element.dataset.phase;
    this.run.hidden = true;
    this.ready.hidden = false;
    this.done.hidden = !completed;
    this.startButton.focus({ preventScroll: true });
    this.emit(completed ? "follow-along:end" : "follow-along:stop");
  };

  // Stop ticking and let the device sleep again, e.g. when the timer was swapped away.
  FollowAlong.prototype.halt = function () {
    this.running = false;
    window.clearTimeout(this.timer);
    this.timer = 0;
    if (this.ring) this.ring.cancel();
    this.ring = null;
    if (this.lock) this.lock.release().catch(function () {});
    this.lock = null;
  };

  // A phone would dim its screen in the middle of a 30 s hold; ask it not to, where allowed.
  FollowAlong.prototype.keepAwake = function () {
    if (!("wakeLock" in navigator)) return;
    var timer = this;
    navigator.wakeLock.request("screen").then(function (lock) {
      if (timer.running) timer.lock = lock;
      else lock.release().catch(function () {});
    }).catch(function () {});
  };

  FollowAlong.prototype.emit = function (name) {
    this.element.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  };

  function startAll(root) {
    var found = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll("[data-follow-along]")) : [];
    if (root.matches && root.matches("[data-follow-along]")) found.push(root);
    found.forEach(function (element) {
      if (!element.followAlong) element.followAlong = new FollowAlong(element);
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(startAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { startAll(document); });
  } else {
    startAll(document);
  }
})();
