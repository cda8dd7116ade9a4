// "Remind me later" keeps the reader on the page: the form goes in the background and its
// answer takes its place. Without JavaScript (or on a mirror, whose form goes to another
// origin) it is posted as usual, and the answer page leads back to the article.
(() => {
  const form = document.querySelector("[data-remind-form]");
  if (!form || new URL(form.action, location.href).origin !== location.origin) return;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    fetch(form.action, { method: "POST", body: new FormData(form) })
      .then((r) => r.text().then((html) => {
        const done = new DOMParser().parseFromString(html, "text/html").querySelector("[data-remind-done]");
        if (!r.ok || !done) throw new Error(r.status);
        const answer = document.createElement("div");
        answer.setAttribute("role", "status");
        answer.append(...done.querySelectorAll("p"));
        form.replaceWith(answer);
      }))
      .catch(() => form.submit());
  });
})();
