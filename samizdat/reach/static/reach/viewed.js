// "Most read": one anonymous +1 for this article, once per tab. No cookie, no identifier.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (!url || !navigator.sendBeacon) return;
  var key = "viewed:" + url;
  try {
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
  } catch (e) {
    // Storage switched off: count every visit rather than none.
  }
  navigator.sendBeacon(url);
})();
