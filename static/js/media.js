// Uploaded demonstration videos (kiosk/media.py marks them data-media-autoplay): muted and
// looping, they play only while the viewer has not asked for reduced motion and the page is
// not paused (the screen's Pause button sets <body data-paused="yes">). Otherwise, and with
// no JavaScript at all, they rest on their first frame. Videos swapped in by htmx are caught
// by the htmx:load event.
(function () {
  "use strict";

  var reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function stillWanted() {
    return reducedMotion.matches || document.body.dataset.paused === "yes";
  }

  function settle(root) {
    var still = stillWanted();
    var videos = Array.prototype.slice.call(root.querySelectorAll("video[data-media-autoplay]"));
    if (root.matches && root.matches("video[data-media-autoplay]")) videos.push(root);
    videos.forEach(function (video) {
      if (still) {
        video.pause();
      } else if (video.paused) {
        var playing = video.play();
        // A browser that refuses to autoplay leaves the first frame: not an error.
        if (playing && playing.catch) playing.catch(function () {});
      }
    });
  }

  function settleAll() { settle(document); }

  if (reducedMotion.addEventListener) reducedMotion.addEventListener("change", settleAll);
  new MutationObserver(settleAll).observe(document.body, {
    attributes: true, attributeFilter: ["data-paused"]
  });
  document.addEventListener("htmx:load", function (event) { settle(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", settleAll);
  } else {
    settleAll();
  }
})();
