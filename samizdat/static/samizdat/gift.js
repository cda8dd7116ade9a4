// The donation form names the gift on its Continue button ("Continue: $10 /month"), and an
// appeal's button that names an amount ("Give $2 a month") sets this page's form to it instead
// of opening the support page. Without JavaScript the button says "Continue" under amounts that
// say how often, and such a link opens the support page with its amount chosen.
(() => {
  const $$ = (s, root) => [...root.querySelectorAll(s)];
  const form = document.querySelector("[data-gift]");
  if (!form) return;
  const data = form.dataset, custom = form.elements.custom_amount;
  const button = form.querySelector("[data-continue]"), plain = button.textContent;
  const box = () => $$("[data-currency]", form).find((b) => !b.hidden);
  const freq = () => form.querySelector("[name=frequency]:checked").value;
  const fits = (raw, c) => /^\d+(\.\d{1,2})?$/.test(raw) && +raw >= +c.min && +raw <= +c.max;
  const relabel = () => {
    const f = freq(), c = box().dataset, raw = custom.value.trim();
    const picked = box().querySelector(`[name=amount_${f}]:checked`);
    let gift = picked && !raw ? picked.labels[0].textContent : "";
    if (raw && fits(raw, c)) {
      const n = +raw, digits = { minimumFractionDigits: n % 1 ? 2 : 0, maximumFractionDigits: 2 };
      const money = c.money.replace("%s", n.toLocaleString(document.documentElement.lang || undefined, digits));
      gift = data[`per${f[0].toUpperCase()}${f.slice(1)}`].replace("%s", money);
    }
    button.textContent = gift ? button.dataset.continue.replace("%s", gift) : plain;
  };
  const preset = (href) => {
    const q = new URL(href, location.href).searchParams, amount = q.get("amount") || "";
    const tab = $$("[name=frequency]", form).find((t) => t.value === (q.get("frequency") || freq()));
    if (!tab || tab.hidden || !fits(amount, box().dataset) || form.closest("[hidden]")) return null;
    tab.checked = true;
    const radio = $$(`[name=amount_${tab.value}]`, box()).find((i) => +i.value === +amount);
    if (radio) { radio.checked = true; custom.value = ""; }
    else { $$(".amounts input", form).forEach((i) => { i.checked = false; }); custom.value = amount; }
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
    form.scrollIntoView({ block: "start" });
    chosen.focus({ preventScroll: true });
  });
  relabel();
})();
