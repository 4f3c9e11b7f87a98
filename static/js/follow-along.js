// The follow-along timer (templates/shared/follow_along.html), on the waiting-room screen and
// the phone sheet. The article's rhythm: breathe in, stretch while breathing out, hold, rest;
// every repetition on one side, then the other. Starts every [data-follow-along] on the page
// and any that htmx swaps in later. Time is read from the clock on every tick, so a busy or
// sleeping device catches up instead of drifting. Each cue is spoken too (the Voice below).
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
  // The countdown is spoken over a hold's last seconds: "3, 2, 1".
  var COUNTDOWN_FROM = 3;

  // ---- The voice: each cue spoken in the page's language; a soft tone where no voice speaks
  // it (or the browser has no speech at all); a short buzz at each change, on phones that can.

  // One choice for the whole site, so every timer on every sheet is muted alike.
  var MUTE_KEY = "kiosk-sound";
  var speech = window.speechSynthesis && window.SpeechSynthesisUtterance
    ? window.speechSynthesis : null;
  var AudioContextType = window.AudioContext || window.webkitAudioContext;
  // Browsers let a page make sound only after a person's gesture: made on the first Start.
  var audio = null;
  // The pitch of each kind of tone: a change of phase, the hold, a second of the countdown.
  var TONES = {
    change: { hertz: 523.25, seconds: 0.45 },
    hold: { hertz: 392, seconds: 0.6 },
    count: { hertz: 659.25, seconds: 0.15 },
  };
  // Where a browser names the Chinese voices by region, not by script.
  var REGIONS_OF = { "zh-hans": ["zh-cn", "zh-sg"], "zh-hant": ["zh-tw", "zh-hk", "zh-mo"] };

  // Asking early lets Chromium load its voices before the first cue.
  if (speech) speech.getVoices();

  function pageLanguage() {
    return document.documentElement.lang || "en";
  }

  function tagOf(voice) {
    return String(voice.lang || "").replace(/_/g, "-").toLowerCase();
  }

  // The voice that speaks `language`: its own tag, a region that writes its script, or any of
  // the language; null when none does.
  function voiceFor(language) {
    var voices = speech ? speech.getVoices() || [] : [];
    var wanted = language.toLowerCase();
    var tags = [wanted].concat(REGIONS_OF[wanted] || []);
    for (var i = 0; i < tags.length; i += 1) {
      var exact = voices.filter(function (voice) { return tagOf(voice) === tags[i]; })[0];
      if (exact) return exact;
    }
    var base = wanted.split("-")[0];
    return voices.filter(function (voice) {
      return tagOf(voice).split("-")[0] === base;
    })[0] || null;
  }

  function storedMute() {
    try {
      return window.localStorage.getItem(MUTE_KEY) === "off";
    } catch (error) {
      return false; // storage refused (private mode): sound on, as by default
    }
  }

  function storeMute(muted) {
    try {
      window.localStorage.setItem(MUTE_KEY, muted ? "off" : "on");
    } catch (error) {
      // not kept: this page still follows the button
    }
  }

  function unlockAudio() {
    if (!audio && AudioContextType) audio = new AudioContextType();
    if (audio && audio.state === "suspended") audio.resume().catch(function () {});
  }

  // A short, quiet sine: rises in 30 ms, fades away; nothing to startle a waiting room.
  function tone(kind) {
    if (!audio) return;
    var shape = TONES[kind] || TONES.change;
    var now = audio.currentTime;
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = shape.hertz;
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.15, now + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + shape.seconds);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(now);
    oscillator.stop(now + shape.seconds + 0.05);
  }

  function vibrate(pattern) {
    if (typeof navigator.vibrate === "function") navigator.vibrate(pattern);
  }

  // One timer's voice: on unless the page says data-sound="off"; its Mute button, if any.
  function Voice(element) {
    this.on = element.dataset.sound !== "off";
    this.remembered = "soundRemembered" in element.dataset;
    this.button = element.querySelector("[data-follow-along-mute]");
    this.muted = this.remembered && storedMute();
    this.show();
    if (this.button) this.button.addEventListener("click", this.toggle.bind(this));
  }

  Voice.prototype.show = function () {
    if (this.button) this.button.setAttribute("aria-pressed", this.muted ? "true" : "false");
  };

  Voice.prototype.toggle = function () {
    var muted = !this.muted;
    if (this.remembered) {
      storeMute(muted);
      everyRememberedVoice(muted);
    } else {
      this.mute(muted);
    }
    this.ready(); // the press is a gesture: a tone may sound from now on
  };

  Voice.prototype.mute = function (muted) {
    if (muted && !this.muted && speech) speech.cancel(); // silence at once, mid-word
    this.muted = muted;
    this.show();
  };

  // Called within a press: where no voice speaks the page's language, let tones sound.
  Voice.prototype.ready = function () {
    if (this.on && !this.muted && !voiceFor(pageLanguage())) unlockAudio();
  };

  // Say `text` now, cutting off whatever was still being said, so the voice never lags behind
  // the timer; `kind` is the tone for it where no voice speaks the page's language.
  Voice.prototype.say = function (text, kind) {
    if (!this.on || this.muted || !text) return;
    var language = pageLanguage();
    var voice = voiceFor(language);
    if (!voice) {
      unlockAudio();
      tone(kind);
      return;
    }
    speech.cancel();
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = language;
    utterance.voice = voice;
    speech.speak(utterance);
  };

  Voice.prototype.hush = function () {
    if (this.on && speech) speech.cancel();
  };

  function everyRememberedVoice(muted) {
    document.querySelectorAll("[data-follow-along]").forEach(function (element) {
      var voice = element.followAlong && element.followAlong.voice;
      if (voice && voice.remembered) voice.mute(muted);
    });
  }

  // Muted or not in another tab of the same site: this one follows.
  window.addEventListener("storage", function (event) {
    if (event.key === MUTE_KEY) everyRememberedVoice(event.newValue === "off");
  });

  // ---- The timer.

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
    this.voice = new Voice(element);
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
    // Within the press, so that a browser lets the first cue and any tone sound.
    this.voice.ready();
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
    this.announced = false;
  };

  // Say the phase's cue, as its caption reads, and buzz: once the timer has caught up, so a
  // device that slept through phases says only where it is now.
  FollowAlong.prototype.announce = function (left) {
    var phase = this.phases[this.index];
    this.announced = true;
    this.counted = left;
    this.voice.say(this.cue.textContent, phase.name === "hold" ? "hold" : "change");
    vibrate(phase.name === "switch" ? [150, 100, 150] : 150);
  };

  // The last seconds of a hold, aloud: each once, and not over the word "Hold" itself.
  FollowAlong.prototype.countDown = function (left) {
    if (this.phases[this.index].name !== "hold" || left > COUNTDOWN_FROM || left < 1) return;
    if (left === this.counted) return;
    this.counted = left;
    this.voice.say(String(left), "count");
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
    var left = this.draw(now);
    if (!this.announced) this.announce(left);
    else this.countDown(left);
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
    return left;
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
    if (completed) {
      this.voice.say(this.done.textContent.trim(), "change");
      vibrate([150, 100, 150, 100, 150]);
    }
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
    this.voice.hush();
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
