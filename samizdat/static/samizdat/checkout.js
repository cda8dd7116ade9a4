// The checkout step, the only page that loads the payment provider's script. The card number
// goes from the provider's field straight to the provider; we post only the token it returns.
(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("checkout-form"), button = $("checkout-submit"), alertBox = $("checkout-error");
  const text = $("checkout-messages").dataset, label = button.textContent;
  const fail = (message) => {
    const p = document.createElement("p");
    p.textContent = message;
    alertBox.replaceChildren(p);
    alertBox.hidden = false;
    button.disabled = false;
    button.textContent = label;
  };

  const anonymous = $("checkout-anonymous"), nameField = $("checkout-name-field");
  anonymous.addEventListener("change", () => {
    // Anonymous means no name at all: clear it rather than only hiding it.
    nameField.hidden = anonymous.checked;
    if (anonymous.checked) form.elements.name.value = "";
  });

  if (typeof Stripe !== "function") return fail(text.unavailable);
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const email = form.elements.email;
    if (!email.value || !email.checkValidity()) {
      email.setAttribute("aria-invalid", "true");
      email.focus();
      return fail(text.emailError);
    }
    button.disabled = true; // a second click must not start a second payment
    button.textContent = text.working;
    let result;
    try {
      result = await stripe.createToken(card);
    } catch (error) {
      result = { error: {} };
    }
    if (result.error || !result.token) return fail((result.error && result.error.message) || text.cardError);
    form.elements.payment_token.value = result.token.id;
    form.submit();
  });

  // The bank asked for 3-D Secure: let the donor confirm, then ask our server what happened
  // (it asks the provider; the browser's word is not taken for it).
  const confirmForm = $("confirm-form");
  if (confirmForm) {
    button.disabled = true;
    stripe.confirmCardPayment(confirmForm.dataset.clientSecret).finally(() => confirmForm.submit());
  }
})();
