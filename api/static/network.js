/*
 * The network page's change over time, fetched once the page is shown: on a large case
 * it takes a second to compute, and the page does not wait for it. The link in its
 * place (data-fragment: the section's own address) opens it as a page without JavaScript.
 */
"use strict";

for (const slot of document.querySelectorAll("[data-fragment]")) {
  const address = new URL(slot.dataset.fragment, document.baseURI);
  address.searchParams.set("fragment", "1");
  fetch(address, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
    .then((html) => {
      slot.innerHTML = html;
      slot.removeAttribute("aria-busy");
    })
    .catch(() => slot.removeAttribute("aria-busy"));
}
