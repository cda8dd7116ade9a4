// A donor's new card for a recurring gift (support/manage/card.html): the provider's card field
// confirms the card with the provider; we post only the id of that confirmation.
(() => {
  const $ = (id) => document.getElementById(id);
  const form = $("card-form"), button = $("card-submit"), alertBox = $("card-error");
  const text = $("card-messages").dataset, label = button.textContent;
  const fail = (message) => {
    const p = document.createElement("p");
    p.textContent = message;
    alertBox.replaceChildren(p);
    alertBox.hidden = false;
    button.disabled = false;
    button.textContent = label;
  };
  if (typeof Stripe !== "function") return fail(text.unavailable);
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    button.textContent = text.working;
    let result;
    try {
      result = await stripe.confirmCardSetup(form.dataset.clientSecret, {
        payment_method: { card },
      });
    } catch (error) {
      result = { error: {} };
    }
    if (result.error || !result.setupIntent) {
      return fail((result.error && result.error.message) || text.cardError);
    }
    form.elements.setup_id.value = result.setupIntent.id;
    form.submit();
  });
})();
