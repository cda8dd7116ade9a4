// The card field of the checkout step and of a donor's card change (support/checkout.html,
// support/manage/card.html), the only pages that load the payment provider's script. The card
// number goes from the provider's field straight to the provider; we post only the id it returns.
(() => {
  const form = document.querySelector("form[data-card-form]");
  if (!form) return;
  const $ = (name) => document.getElementById(`${form.dataset.cardForm}-${name}`);
  const button = $("submit"), alertBox = $("error"), text = $("messages").dataset;
  const label = button.textContent;
  const fail = (message) => {
    const p = document.createElement("p");
    p.textContent = message;
    alertBox.replaceChildren(p);
    alertBox.hidden = false;
    button.disabled = false;
    button.textContent = label;
  };

  const anonymous = $("anonymous"), nameField = $("name-field");
  if (anonymous) {
    anonymous.addEventListener("change", () => {
      // Anonymous means no name at all: clear it rather than only hiding it.
      nameField.hidden = anonymous.checked;
      if (anonymous.checked) form.elements.name.value = "";
    });
  }

  if (typeof Stripe !== "function") return fail(text.unavailable);
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");

  // A new card for a recurring gift is confirmed as a setup; a gift's card becomes a token.
  const confirm = async () => {
    if (form.dataset.clientSecret) {
      const result = await stripe.confirmCardSetup(form.dataset.clientSecret, {
        payment_method: { card },
      });
      return { error: result.error, id: result.setupIntent && result.setupIntent.id };
    }
    const result = await stripe.createToken(card);
    return { error: result.error, id: result.token && result.token.id };
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = form.elements.email;
    if (email && (!email.value || !email.checkValidity())) {
      email.setAttribute("aria-invalid", "true");
      email.focus();
      return fail(text.emailError);
    }
    button.disabled = true; // a second click must not start a second payment
    button.textContent = text.working;
    let result;
    try {
      result = await confirm();
    } catch (error) {
      result = { error: {} };
    }
    if (result.error || !result.id) return fail((result.error && result.error.message) || text.cardError);
    form.elements[form.dataset.cardResult].value = result.id;
    form.submit();
  });

  // The bank asked for 3-D Secure: let the donor confirm, then ask our server what happened
  // (it asks the provider; the browser's word is not taken for it).
  const confirmForm = document.getElementById("confirm-form");
  if (confirmForm) {
    button.disabled = true;
    stripe.confirmCardPayment(confirmForm.dataset.clientSecret).finally(() => confirmForm.submit());
  }
})();
