// Appeals and the donation form. The server renders every variant hidden; this picks one per
// appeal and keeps closing and snoozing in localStorage: no cookies, and nothing about the
// reader leaves the browser but anonymous +1 counters.
(() => {
  const DAY = 864e5, KEY = "samizdat:support", now = Date.now();
  const $ = (s, root = document) => root.querySelector(s);
  const $$ = (s, root = document) => [...root.querySelectorAll(s)];
  let state = null; // null where storage is off (private windows): no modal or banner then
  try { state = JSON.parse(localStorage.getItem(KEY) || "{}"); } catch (e) {}
  const save = () => { try { if (state) localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {} };
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

  // For the appeals' rules (appeals.py), kept here and sent nowhere: visits (one ends after
  // 30 idle minutes) and the utm_source this one came with (in the query or after #), articles
  // opened this month, each appeal's showings, and a gift (donor.js).
  const st = state || {}, d = new Date(), month = d.getFullYear() * 12 + d.getMonth();
  const src = new URLSearchParams(location.search.slice(1) + "&" + location.hash.slice(1)).get("utm_source");
  if (cfg.appeals.length) {
    if (!(now - st.t < 18e5)) { st.n = (st.n || 0) + 1; st.f = ""; }
    st.t = now;
    if (src) st.f = src.toLowerCase();
    if (!st.r || st.r[0] !== month) st.r = [month, 0];
    if (!/reload|back/.test((performance.getEntriesByType("navigation")[0] || {}).type)) st.r[1]++;
    save();
  }
  // Lapsed: a one-time gift over a year ago, or a recurring gift since cancelled.
  const g = st.d, who = !g ? "new" : g.cancelled || (g.kind === "once" && now - g.at > 365 * DAY) ? "lapsed" : "donor";
  const shows = (id) => ((st.w || {})[id] || []).filter((t) => now - t < 7 * DAY);
  const fits = (r, id) =>
    (r.audience ? r.audience === who : who !== "donor" || r.donors) &&
    (!r.visit || (r.visit === "first") === (st.n < 2)) && (!r.from || r.from.split(" ").includes(st.f)) &&
    !(st.r[1] < r.min || st.r[1] > r.max || shows(id).length >= r.week);

  // Each kind's appeals come in the order to try them: the first that fits this browser shows.
  const letter = $("[data-letter]"), taken = {};
  for (const a of cfg.appeals) {
    const el = $(`[data-appeal="${a.id}"]`);
    if (!el) continue;
    if (taken[a.kind] || !fits(el.dataset, a.id)) { if (a.kind === "end_of_article") el.hidden = true; continue; }
    taken[a.kind] = 1;
    // A current donor is thanked instead of asked, where the appeal says so.
    const thanks = who === "donor" && !el.dataset.audience, variant = thanks ? 0 : pick(a);
    const shown = () => { (st.w = st.w || {})[a.id] = [...shows(a.id), now]; save(); if (!thanks) count(variant, "impression"); };
    $$("[data-variant]", el).forEach((n) => { n.hidden = +n.dataset.variant !== variant; });
    if (thanks) $("[data-thanks]", el).hidden = false;
    $$("[data-support]", el).forEach((l) => l.addEventListener("click", () => {
      count(variant, "click");
      if (form) form.elements.variant.value = variant;
      if (el.open) el.close();
    }));
    if (a.kind === "end_of_article") {
      el.hidden = false;
      if (snoozed) { letter.hidden = true; continue; }
      if (thanks) $$("[data-gift], [data-remind]", letter).forEach((n) => { n.hidden = true; });
      else if (form) form.elements.variant.value = credit = variant;
      // Counted when a reader reaches it, not when the page loads.
      const seen = new IntersectionObserver(([e]) => {
        if (e.isIntersecting) { shown(); seen.disconnect(); }
      });
      seen.observe(el);
      continue;
    }
    if (!state || snoozed || (state.x || {})[a.id] > now) continue;
    el.hidden = false;
    shown();
    const close = $("[data-close]", el);
    if (a.kind === "modal") {
      el.setAttribute("aria-labelledby", thanks ? `appeal-thanks-${a.id}` : `appeal-title-${variant}`);
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
  // No letter for this browser: the buttons lead to the support page instead.
  if (letter && !taken.end_of_article) letter.hidden = true;
  if (letter && letter.hidden) $$('a[href="#support"]').forEach((l) => { l.href = `${cfg.page}?variant=${l.closest("[data-variant]").dataset.variant}`; });

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
