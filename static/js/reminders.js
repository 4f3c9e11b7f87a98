// "Remind me every day" (templates/sheets/partials/reminders.html). The form works without this
// script; with it, the reminders start on the phone's own date (the server knows neither its
// clock nor its time zone): today, or tomorrow once today's time has passed. The file is made
// by the server, so with no signal the page says so instead of the browser's error page.
(function () {
  "use strict";
  var form = document.querySelector("[data-reminder-form]");
  if (!form) return;
  var status = form.querySelector("[data-reminder-status]");
  var start = form.querySelector("[data-reminder-start]");
  var time = form.elements.time;

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  function firstDay(now, hours, minutes) {
    var first = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours, minutes);
    if (first <= now) first.setDate(first.getDate() + 1);
    return first.getFullYear() + "-" + twoDigits(first.getMonth() + 1) + "-" +
      twoDigits(first.getDate());
  }

  form.addEventListener("submit", function (event) {
    if (!navigator.onLine) {
      event.preventDefault();
      status.textContent = form.dataset.offline;
      return;
    }
    status.textContent = "";
    var parts = /^(\d{1,2}):(\d{2})/.exec(time.value);
    // A time the browser let through but cannot be read: the server says what is wrong.
    start.value = parts ? firstDay(new Date(), Number(parts[1]), Number(parts[2])) : "";
  });
  window.addEventListener("online", function () { status.textContent = ""; });
})();
