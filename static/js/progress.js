// "My progress" on the phone sheet (templates/sheets/partials/progress.html). Everything
// personal stays in this phone's localStorage, under one key per sheet: the days the stretches
// were done, which ones were followed with the timer, and the pain scores given before and
// after. A day is done when every stretch's follow-along has run to its end that day, or when
// the patient says so with the button (for those who follow the paper).
//
// The one thing that may leave the phone: when a day is done, one POST with no body and no
// cookie to the sheet's /done address, at most once a day, which the server adds to that day's
// count for the sheet. No date, score or identifier goes with it, and a switch turns it off.
// It is sent only on the day it happened: a count kept back offline is dropped at midnight
// rather than counted on the wrong day.
(function () {
  "use strict";

  var section = document.querySelector("[data-progress]");
  if (!section) return;
  var WORDS = {};
  try {
    WORDS = JSON.parse(section.dataset.words || "{}");
  } catch (error) { /* the markup's own words stay */ }
  var DAYS = 28; // the calendar, the chart and the therapist's summary: four weeks
  var KEEP_DAYS = 400; // older days are let go, so the record never grows without end
  var SHARE_KEY = "kiosk-count-completed"; // "off" once the patient turns the counts off
  var key = "kiosk-progress:" + location.pathname;
  var lang = document.documentElement.lang || "en";
  var sending = false;

  function $(selector) { return section.querySelector(selector); }

  function say(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (whole, name) {
      return values && name in values ? values[name] : whole;
    });
  }

  // ---- Days, as the phone's own calendar has them ("2026-12-06", local time).

  function dayOf(date) {
    var month = String(date.getMonth() + 1).padStart(2, "0");
    return date.getFullYear() + "-" + month + "-" + String(date.getDate()).padStart(2, "0");
  }

  function daysBack(count) { // the last `count` days, oldest first, today last
    var days = [];
    var now = new Date();
    for (var back = count - 1; back >= 0; back -= 1) {
      days.push(dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - back)));
    }
    return days;
  }

  function today() { return dayOf(new Date()); }

  function asDate(day) {
    var parts = day.split("-").map(Number);
    return new Date(parts[0], parts[1] - 1, parts[2]);
  }

  function format(day, options) {
    try {
      return new Intl.DateTimeFormat(lang, Object.assign({ numberingSystem: "latn" }, options))
        .format(asDate(day));
    } catch (error) {
      return day;
    }
  }

  // ---- The record on this phone.

  function storageWorks() {
    try {
      localStorage.setItem(key + ":probe", "1");
      localStorage.removeItem(key + ":probe");
      return true;
    } catch (error) {
      return false;
    }
  }

  function load() {
    var record = null;
    try {
      record = JSON.parse(localStorage.getItem(key) || "null");
    } catch (error) {
      record = null;
    }
    if (!record || typeof record !== "object" || typeof record.days !== "object" || !record.days) {
      record = { days: {} };
    }
    return record;
  }

  function save() {
    var oldest = daysBack(KEEP_DAYS)[0];
    Object.keys(record.days).forEach(function (day) {
      if (day < oldest) delete record.days[day];
    });
    try {
      localStorage.setItem(key, JSON.stringify(record));
    } catch (error) { /* full or refused: what is shown still stands for this visit */ }
  }

  function entry(day) {
    var found = record.days[day];
    if (!found) {
      found = { done: false, followed: [], stretches: [], before: null, after: null };
      record.days[day] = found;
    }
    found.followed = Array.isArray(found.followed) ? found.followed : [];
    return found;
  }

  function score(value) {
    var number = Number(value);
    return value !== null && value !== "" && number >= 0 && number <= 10 ? number : null;
  }

  function stretchesOnTheSheet() {
    return Array.prototype.map.call(
      document.querySelectorAll(".sheet-stretches .stretch-card"),
      function (card) { return { slug: card.id, title: titleOf(card) }; });
  }

  function titleOf(card) {
    var title = card.querySelector("h3 span:last-child");
    return title ? title.textContent.trim() : card.id;
  }

  // ---- Doing the stretches.

  function followed(slug) {
    var day = entry(today());
    if (day.followed.indexOf(slug) === -1) day.followed.push(slug);
    var all = stretchesOnTheSheet().map(function (stretch) { return stretch.slug; });
    var every = all.length > 0 && all.every(function (s) { return day.followed.indexOf(s) !== -1; });
    if (every && !day.done) {
      complete(day, day.followed.slice());
    } else {
      save();
      render();
    }
  }

  function complete(day, stretches) {
    day.done = true;
    day.stretches = stretches;
    save();
    render();
    sendCount();
  }

  function toggleDone() {
    var day = entry(today());
    if (day.done) {
      day.done = false; // a mistaken tap is taken back here; a count already sent stays sent
      save();
      render();
    } else {
      complete(day, stretchesOnTheSheet().map(function (stretch) { return stretch.slug; }));
    }
  }

  // ---- The one count that leaves the phone.

  function sharing() {
    try {
      return localStorage.getItem(SHARE_KEY) !== "off";
    } catch (error) {
      return false;
    }
  }

  function sendCount() {
    var day = today();
    if (!sharing() || record.counted === day || sending || !section.dataset.doneUrl) return;
    if (!(record.days[day] && record.days[day].done)) return;
    if (navigator.onLine === false) { // known offline: wait for the signal, not for a failure
      record.pending = day;
      save();
      return;
    }
    sending = true;
    fetch(section.dataset.doneUrl, {
      method: "POST", credentials: "omit", cache: "no-store", keepalive: true,
      referrerPolicy: "no-referrer",
    }).then(function (response) {
      sending = false;
      // Refused (the sheet withdrawn, say): not sent again today either.
      record.counted = day;
      record.pending = response.ok ? null : record.pending;
      save();
    }).catch(function () {
      sending = false;
      record.pending = day; // offline: sent when the phone is back online today
      save();
    });
  }

  function sendWhatWaits() {
    if (record.pending && record.pending !== today()) {
      record.pending = null; // yesterday's count would land on the wrong day: let it go
      save();
    }
    if (record.pending === today()) sendCount();
  }

  // ---- What the page shows.

  function render() {
    var day = record.days[today()] || { done: false, followed: [] };
    var all = stretchesOnTheSheet();
    var status = $("[data-progress-status]");
    if (day.done) status.textContent = WORDS.done;
    else if (day.followed.length) {
      status.textContent = say(WORDS.some, { done: day.followed.length, all: all.length });
    } else status.textContent = WORDS.not_yet;
    var button = $("[data-progress-done]");
    button.setAttribute("aria-pressed", day.done ? "true" : "false");
    button.textContent = day.done ? WORDS.done_button : button.dataset.label;
    section.querySelectorAll("[data-pain]").forEach(function (select) {
      var value = day[select.dataset.pain];
      select.value = value === null || value === undefined ? "" : String(value);
    });
    var days = daysBack(DAYS);
    var done = days.filter(function (d) { return record.days[d] && record.days[d].done; });
    $("[data-progress-run]").textContent = say(WORDS.run, { num: run() });
    $("[data-progress-days]").textContent = say(WORDS.days, { num: done.length });
    calendar($("[data-progress-calendar]"), days);
    chart($("[data-progress-chart]"), days);
    if (!$("[data-progress-therapist]").hidden) summary();
  }

  // Days in a row, up to today; today not done yet does not break the run.
  function run() {
    var days = daysBack(KEEP_DAYS).reverse();
    var count = 0;
    for (var i = 0; i < days.length; i += 1) {
      var found = record.days[days[i]];
      if (found && found.done) count += 1;
      else if (i > 0) break;
    }
    return count;
  }

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  // Four rows of seven days, the oldest first; a tick on the days done.
  function calendar(place, days) {
    var table = element("table", "calendar");
    var head = table.createTHead().insertRow();
    days.slice(0, 7).forEach(function (day) {
      var cell = element("th", "", format(day, { weekday: "narrow" }));
      cell.scope = "col";
      cell.setAttribute("abbr", format(day, { weekday: "long" }));
      head.appendChild(cell);
    });
    var body = table.createTBody();
    var row = null;
    days.forEach(function (day, index) {
      if (index % 7 === 0) row = body.insertRow();
      var done = record.days[day] && record.days[day].done;
      var cell = row.insertCell();
      cell.className = done ? "is-done" : "";
      if (day === today()) cell.setAttribute("aria-current", "date");
      cell.appendChild(element("span", "calendar-date", format(day, { day: "numeric" })));
      cell.appendChild(element("span", "visually-hidden",
        " " + format(day, { month: "long" }) + ": " + (done ? WORDS.day_done : WORDS.day_not_done)));
    });
    place.replaceChildren(table);
  }

  var SVG = "http://www.w3.org/2000/svg";

  function shape(name, attributes) {
    var made = document.createElementNS(SVG, name);
    Object.keys(attributes).forEach(function (attribute) {
      made.setAttribute(attribute, attributes[attribute]);
    });
    return made;
  }

  // Pain before and after, 0 to 10, over the days: drawn here, no chart library needed.
  function chart(place, days) {
    var scored = days.filter(function (day) {
      var found = record.days[day];
      return found && (score(found.before) !== null || score(found.after) !== null);
    });
    if (!scored.length) {
      place.replaceChildren(element("p", "progress-hint", WORDS.no_pain));
      return;
    }
    var width = 340, height = 190, left = 30, right = 330, top = 12, bottom = 160;
    var x = function (index) { return left + ((right - left) * index) / (days.length - 1); };
    var y = function (value) { return bottom - ((bottom - top) * value) / 10; };
    var last = scored[scored.length - 1];
    var latest = record.days[last];
    var label = WORDS.chart + ". " + say(WORDS.latest, {
      day: format(last, { day: "numeric", month: "long" }),
      before: score(latest.before) === null ? WORDS.none : latest.before,
      after: score(latest.after) === null ? WORDS.none : latest.after,
    });
    var svg = shape("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
      "aria-label": label, class: "pain-chart" });
    [0, 5, 10].forEach(function (value) {
      svg.appendChild(shape("line", { x1: left, x2: right, y1: y(value), y2: y(value),
        class: "pain-grid" }));
      var tick = shape("text", { x: left - 8, y: y(value) + 4, class: "pain-axis",
        "text-anchor": "end" });
      tick.textContent = String(value);
      svg.appendChild(tick);
    });
    [[0, "start"], [days.length - 1, "end"]].forEach(function (end) {
      var text = shape("text", { x: x(end[0]), y: height - 8, class: "pain-axis",
        "text-anchor": end[1] });
      text.textContent = format(days[end[0]], { day: "numeric", month: "short" });
      svg.appendChild(text);
    });
    ["before", "after"].forEach(function (moment) {
      var points = [];
      days.forEach(function (day, index) {
        var found = record.days[day];
        var value = found ? score(found[moment]) : null;
        if (value !== null) points.push([x(index), y(value)]);
      });
      if (points.length > 1) {
        svg.appendChild(shape("polyline", { points: points.map(String).join(" "),
          class: "pain-line pain-" + moment }));
      }
      points.forEach(function (point) {
        svg.appendChild(moment === "before"
          ? shape("circle", { cx: point[0], cy: point[1], r: 5, class: "pain-dot pain-before" })
          : shape("rect", { x: point[0] - 4.5, y: point[1] - 4.5, width: 9, height: 9,
            class: "pain-dot pain-after" }));
      });
    });
    var key = element("p", "pain-key");
    key.setAttribute("aria-hidden", "true");
    key.appendChild(element("span", "pain-key-before", WORDS.before));
    key.appendChild(element("span", "pain-key-after", WORDS.after));
    place.replaceChildren(svg, key);
  }

  // ---- For the therapist: one screen (and one printed page) for the next appointment.

  function average(values) {
    var given = values.filter(function (value) { return value !== null; });
    if (!given.length) return "–";
    var sum = given.reduce(function (a, b) { return a + b; }, 0);
    return (Math.round((sum / given.length) * 10) / 10).toLocaleString(lang, { numberingSystem: "latn" });
  }

  function summary() {
    var days = daysBack(DAYS);
    $("[data-therapist-period]").textContent =
      format(days[0], { day: "numeric", month: "long" }) + " – " +
      format(days[days.length - 1], { day: "numeric", month: "long", year: "numeric" });
    var weeks = $("[data-therapist-weeks]");
    weeks.replaceChildren();
    for (var start = 0; start < days.length; start += 7) {
      var week = days.slice(start, start + 7).map(function (day) { return record.days[day] || {}; });
      var row = weeks.insertRow();
      var head = element("th", "", say(WORDS.week, { day: format(days[start], { day: "numeric", month: "short" }) }));
      head.scope = "row";
      row.appendChild(head);
      row.insertCell().textContent = String(week.filter(function (d) { return d.done; }).length);
      row.insertCell().textContent = average(week.map(function (d) { return score(d.before); }));
      row.insertCell().textContent = average(week.map(function (d) { return score(d.after); }));
    }
    var list = $("[data-therapist-stretches]");
    list.replaceChildren();
    stretchesOnTheSheet().forEach(function (stretch) {
      var times = days.filter(function (day) {
        var found = record.days[day];
        return found && Array.isArray(found.followed) && found.followed.indexOf(stretch.slug) !== -1;
      }).length;
      list.appendChild(element("li", "", stretch.title + ": " + times));
    });
    chart($("[data-therapist-chart]"), days);
  }

  function showTherapist(shown) {
    var view = $("[data-progress-therapist]");
    view.hidden = !shown;
    $("[data-progress-show]").setAttribute("aria-expanded", shown ? "true" : "false");
    document.documentElement.classList.toggle("shows-therapist", shown);
    if (shown) {
      summary();
      var heading = view.querySelector("h3");
      heading.tabIndex = -1;
      heading.focus();
      view.scrollIntoView({ block: "start" });
    } else {
      $("[data-progress-show]").focus();
    }
  }

  // ---- Wiring.

  var record = load();
  if (!storageWorks()) {
    var note = $(".progress-private");
    note.textContent = WORDS.could_not_keep;
    note.hidden = false;
    return;
  }
  section.querySelectorAll("[data-progress-ui]").forEach(function (part) { part.hidden = false; });
  var doneButton = $("[data-progress-done]");
  doneButton.dataset.label = doneButton.textContent.trim();
  doneButton.addEventListener("click", toggleDone);

  document.addEventListener("follow-along:end", function (event) {
    var card = event.target.closest && event.target.closest(".sheet-stretches .stretch-card");
    if (card) followed(card.id);
  });

  section.querySelectorAll("[data-pain]").forEach(function (select) {
    select.addEventListener("change", function () {
      entry(today())[select.dataset.pain] = score(select.value);
      save();
      render();
      $("[data-progress-saved]").textContent = WORDS.saved;
    });
  });

  var share = $("[data-progress-share]");
  share.checked = sharing();
  share.addEventListener("change", function () {
    try {
      if (share.checked) localStorage.removeItem(SHARE_KEY);
      else localStorage.setItem(SHARE_KEY, "off");
    } catch (error) { /* the box shows what was asked; nothing is sent without storage */ }
  });

  $("[data-progress-show]").addEventListener("click", function () {
    showTherapist($("[data-progress-therapist]").hidden);
  });
  $("[data-progress-hide]").addEventListener("click", function () { showTherapist(false); });
  $("[data-progress-print]").addEventListener("click", function () { window.print(); });

  var confirm = $("[data-progress-confirm]");
  var deleteButton = $("[data-progress-delete]");
  deleteButton.addEventListener("click", function () {
    confirm.hidden = false;
    $("[data-progress-delete-no]").focus();
  });
  $("[data-progress-delete-no]").addEventListener("click", function () {
    confirm.hidden = true;
    deleteButton.focus();
  });
  $("[data-progress-delete-yes]").addEventListener("click", function () {
    try {
      localStorage.removeItem(key);
    } catch (error) { /* nothing was kept */ }
    record = { days: {} };
    confirm.hidden = true;
    render();
    $("[data-progress-saved]").textContent = "";
    $("[data-progress-status]").textContent = WORDS.deleted;
    deleteButton.focus();
  });

  window.addEventListener("online", sendWhatWaits);
  window.addEventListener("storage", function (event) { // the same sheet open in another tab
    if (event.key === key) {
      record = load();
      render();
    }
  });
  render();
  sendWhatWaits();
})();
