// Testimony player: jump to a segment (#t=SECONDS or a segment link) and highlight the
// segment being heard, so the transcript follows the recording.
(function () {
  "use strict";
  var player = document.getElementById("testimony-player");
  var segments = Array.prototype.slice.call(document.querySelectorAll("[data-start]"));
  var loadingWhole = false;
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
  function seekable(time) {
    for (var index = 0; index < player.seekable.length; index += 1) {
      if (time >= player.seekable.start(index) && time <= player.seekable.end(index)) { return true; }
    }
    return false;
  }
  // A server that does not answer byte ranges leaves the recording unseekable; then the
  // whole file is fetched once and played from memory, where every time is seekable.
  function loadWholeThenSeek(time) {
    if (loadingWhole) { return; }
    loadingWhole = true;
    fetch(player.currentSrc || player.src, { credentials: "same-origin" })
      .then(function (response) { return response.blob(); })
      .then(function (blob) {
        player.addEventListener("loadedmetadata", function () { player.currentTime = time; }, { once: true });
        player.src = URL.createObjectURL(blob);
      })
      .catch(function () { loadingWhole = false; });
  }
  function seek(time) {
    highlight(time);
    if (!player) { return; }
    var apply = function () {
      if (seekable(time) || time === 0) { player.currentTime = time; } else { loadWholeThenSeek(time); }
    };
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
