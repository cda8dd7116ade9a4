// A paid gift's thank-you page marks this browser as a donor's, for support.js to stop asking;
// the page a donor manages their gifts on says what is true now (a cancelled recurring gift: a
// lapsed donor). Kept in localStorage only, and the donor can make this browser forget it.
(() => {
  const KEY = "samizdat:support", mark = document.querySelector("script[data-donor]");
  const forget = document.querySelector("[data-forget]");
  let state;
  try { state = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) { return; }
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {} };
  const m = mark.dataset, was = state.d;
  // A one-time gift does not make a monthly donor a one-time one.
  const keep = !("all" in m) && m.donor === "once" && was && was.kind !== "once" && !was.cancelled;
  state.d = { kind: keep ? was.kind : m.donor, at: m.at * 1e3 };
  if ("cancelled" in m) state.d.cancelled = 1;
  save();
  if (!forget) return;
  forget.hidden = false;
  forget.querySelector("button").addEventListener("click", () => {
    delete state.d;
    save();
    forget.textContent = forget.dataset.forget;
  });
})();
