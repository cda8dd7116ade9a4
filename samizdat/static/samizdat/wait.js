// The waiting page of the card-testing defence: count down, then press Continue for the reader.
// Without JavaScript the reader presses it; the server checks the time either way.
(() => {
  const form = document.getElementById("wait-form");
  if (!form) return;
  const left = document.getElementById("wait-left"), counter = document.getElementById("wait-seconds");
  const button = document.getElementById("wait-continue");
  const end = Date.now() + (parseInt(form.dataset.seconds, 10) || 0) * 1000;
  left.hidden = false;
  button.disabled = true;
  const tick = () => {
    const seconds = Math.ceil((end - Date.now()) / 1000);
    if (seconds <= 0) {
      counter.textContent = "0";
      form.submit();
      return;
    }
    counter.textContent = String(seconds);
    setTimeout(tick, 250);
  };
  tick();
})();
