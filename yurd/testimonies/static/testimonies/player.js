// Testimony player: jump to a segment (#t=SECONDS or a segment link) and highlight the
// segment being heard, so the transcript follows the recording.
(function () {
  "use strict";
  var player = document.getElementById("testimony-player");
  var segments = Array.prototype.slice.call(document.querySelectorAll("[data-start]"));
  function startFromHash() {
    var match = /t=(\d+(?:\.\d+)?)/.exec(window.location.hash);
    return match ? parseFloat(match[1]) : null;
  }
  function highlight(time) {
    segments.forEach(function (segment) {
      var current = time >= parseFloat(segment.dataset.start) && time < parseFloat(segment.dataset.end);
      segment.classList.toggle("is-current", current);
      if (current) { segment.setAttribute("aria-current", "true"); } else { segment.removeAttribute("aria-current"); }
    });
  }
  function seek(time) {
    highlight(time);
    if (!player) { return; }
    var apply = function () { player.currentTime = time; };
    if (player.readyState >= 1) { apply(); } else { player.addEventListener("loadedmetadata", apply, { once: true }); }
  }
  var initial = startFromHash();
  if (initial !== null) { seek(initial); }
  window.addEventListener("hashchange", function () {
    var time = startFromHash();
    if (time !== null) { seek(time); if (player) { player.play().catch(function () {}); } }
  });
  if (player) {
    player.addEventListener("timeupdate", function () { highlight(player.currentTime); });
  }
}());
