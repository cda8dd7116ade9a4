// Continue names the gift ("Continue: $10 /month"); a "Give $2 a month" appeal button sets this
// page's form instead of opening the support page (which it opens without JavaScript).
(() => {
  const $$ = (s, r) => [...r.querySelectorAll(s)], form = document.querySelector("[data-gift]");
  if (!form) return;
  const d = form.dataset, custom = form.elements.custom_amount, button = form.querySelector("[data-continue]");
  const plain = button.textContent, box = () => $$("[data-currency]", form).find((b) => !b.hidden);
  const freq = () => form.querySelector("[name=frequency]:checked").value;
  const fits = (v, c) => /^\d+(\.\d{1,2})?$/.test(v) && +v >= +c.min && +v <= +c.max;
  const relabel = () => {
    const f = freq(), c = box().dataset, v = custom.value.trim(), picked = box().querySelector(`[name=amount_${f}]:checked`);
    let gift = picked && !v ? picked.labels[0].textContent : "";
    if (v && fits(v, c)) {
      const n = (+v).toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: v % 1 ? 2 : 0 });
      gift = d[`per${f[0].toUpperCase()}${f.slice(1)}`].replace("%s", c.money.replace("%s", n));
    }
    button.textContent = gift ? button.dataset.continue.replace("%s", gift) : plain;
  };
  const preset = (href) => {
    const q = new URL(href, location.href).searchParams, v = q.get("amount") || "";
    const tab = $$("[name=frequency]", form).find((t) => t.value === (q.get("frequency") || freq()));
    if (!tab || tab.hidden || !fits(v, box().dataset) || form.closest("[hidden]")) return null;
    tab.checked = true;
    const radio = $$(`[name=amount_${tab.value}]`, box()).find((i) => +i.value === +v);
    $$(".amounts input", form).forEach((i) => { i.checked = i === radio; });
    custom.value = radio ? "" : v;
    tab.dispatchEvent(new Event("change", { bubbles: true })); // support.js shows its amounts
    return radio || custom;
  };
  form.addEventListener("change", relabel);
  form.addEventListener("input", relabel);
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("a[data-support][href*='amount=']");
    const chosen = link && preset(link.href);
    if (!chosen) return;
    e.preventDefault();
    form.scrollIntoView();
    chosen.focus({ preventScroll: true });
  });
  relabel();
})();
