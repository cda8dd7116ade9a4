// Appeals and the donation form. The server renders every variant hidden; this picks one per
// appeal and keeps closing and snoozing in localStorage: no cookies, and nothing about the
// reader leaves the browser but anonymous +1 counters.
(() => {
  const DAY = 864e5, KEY = "samizdat:support", now = Date.now();
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => [...root.querySelectorAll(s)];
  let state = null; // null where storage is off (private windows): no modal or banner then
  try { state = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) {}
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {} };
  const cfg = JSON.parse(($("#support-config") || {}).textContent || '{"appeals":[]}');
  const count = (v, e) => navigator.sendBeacon(cfg.stats, new URLSearchParams({ v, e }));
  const form = $("[data-gift]");
  const snoozed = state && state.s > now;
  let credit = null; // the end-of-article variant that a Continue counts a click for

  // The variant this browser sees: random by weight the first time, then always the same.
  const pick = (a) => {
    const seen = state && state.v && state.v[a.id];
    if (a.variants.some(([id]) => id === seen)) return seen;
    let r = Math.random() * a.variants.reduce((sum, [, w]) => sum + w, 0);
    const [id] = a.variants.find(([, w]) => (r -= w) < 0) || a.variants[0];
    if (state) { (state.v = state.v || {})[a.id] = id; save(); }
    return id;
  };
  const away = (el, a) => { el.hidden = true; (state.x = state.x || {})[a.id] = now + a.snooze * DAY; save(); };

  for (const a of cfg.appeals) {
    const el = $(`[data-appeal="${a.id}"]`);
    if (!el) continue;
    const variant = pick(a);
    $$("[data-variant]", el).forEach((n) => { n.hidden = +n.dataset.variant !== variant; });
    $$("[data-support]", el).forEach((l) => l.addEventListener("click", () => {
      count(variant, "click");
      if (form) form.elements.variant.value = variant;
      if (el.open) el.close();
    }));
    if (a.kind === "end_of_article") {
      if (form) form.elements.variant.value = variant;
      if (snoozed) { el.hidden = true; continue; }
      credit = variant;
      // Counted when a reader reaches it, not when the page loads.
      const seen = new IntersectionObserver(([e]) => {
        if (e.isIntersecting) { count(variant, "impression"); seen.disconnect(); }
      });
      seen.observe(el);
      continue;
    }
    if (!state || snoozed || (state.x || {})[a.id] > now) continue;
    el.hidden = false;
    count(variant, "impression");
    const close = $("[data-close]", el);
    if (a.kind === "modal") {
      el.setAttribute("aria-labelledby", `appeal-title-${variant}`);
      // A native modal dialog: Esc closes it, the page behind is inert; Tab cycles inside.
      el.addEventListener("close", () => away(el, a));
      el.addEventListener("click", (e) => e.target === el && el.close());
      el.addEventListener("keydown", (e) => {
        const f = $$("a,button", el).filter((n) => n.getClientRects().length), end = f[e.shiftKey ? 0 : f.length - 1];
        if (e.key === "Tab" && document.activeElement === end) { e.preventDefault(); f[e.shiftKey ? f.length - 1 : 0].focus(); }
      });
      close.addEventListener("click", () => el.close());
      el.showModal();
    } else close.addEventListener("click", () => away(el, a));
  }

  // "Remind me later": no appeals in this browser for the next days.
  const remind = $("[data-remind]");
  if (remind) remind.addEventListener("toggle", () => {
    if (!remind.open || !state) return;
    state.s = now + remind.dataset.remind * DAY;
    save();
    $$(".appeal-banner, .appeal-modal").forEach((el) => { if (el.open) el.close(); el.hidden = true; });
  });

  if (!form) return;
  // The form: tabs switch the amounts shown; the minimum is checked before the server does.
  form.classList.add("js");
  form.noValidate = true;
  const data = form.dataset, custom = form.elements.custom_amount, error = $("#gift-amount-error");
  const box = () => $$("[data-currency]", form).find((b) => !b.hidden);
  const freq = () => $("[name=frequency]:checked", form).value;
  const show = () => $$(".amounts", box()).forEach((g) => { g.hidden = g.dataset.frequency !== freq(); });
  const say = (text) => { error.textContent = text; custom.setAttribute("aria-invalid", !!text); };
  const select = $("select[name=currency]", form);
  if (select) select.addEventListener("change", () => {
    $$("[data-currency]", form).forEach((b) => {
      b.hidden = b.dataset.currency !== select.value;
      $$("input", b).forEach((i) => { i.disabled = b.hidden; });
    });
    const c = box().dataset, offered = c.frequencies.split(" ");
    $$("[name=frequency]", form).forEach((tab) => { tab.hidden = tab.labels[0].hidden = !offered.includes(tab.value); });
    if (!offered.includes(freq())) $(`[name=frequency][value=${c.default}]`, form).checked = true;
    custom.min = c.min;
    custom.max = c.max;
    $("#gift-min").textContent = data.fromText.replace("%s", c.minText);
    show();
  });
  form.addEventListener("change", (e) => {
    if (e.target.name === "frequency") show();
    if (e.target.name.startsWith("amount_")) { custom.value = ""; say(""); }
  });
  custom.addEventListener("input", () => {
    if (custom.value) $$(".amounts input", form).forEach((i) => { i.checked = false; });
    say("");
  });
  const check = () => {
    const c = box().dataset, raw = custom.value.trim();
    if (custom.validity.badInput || (raw && !/^\d+(\.\d{1,2})?$/.test(raw))) return data.msgNumber;
    if (!raw) return $(`[name=amount_${freq()}]:checked`, form) ? "" : data.msgChoose;
    if (+raw < +c.min) return data.msgMin.replace("%s", c.minText);
    return +raw > +c.max ? data.msgMax.replace("%s", c.maxText) : "";
  };
  form.addEventListener("submit", (e) => {
    const problem = check();
    if (problem) {
      e.preventDefault();
      say(problem);
      custom.focus();
    } else if (credit) count(credit, "click");
  });
  show();
})();
