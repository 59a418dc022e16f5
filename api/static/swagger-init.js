/*
 * Starts Swagger UI on the interactive API documentation page (/docs).
 *
 * A static file rather than an inline script: the Content-Security-Policy allows no
 * inline script anywhere. The page names the schema's address in data-openapi-url.
 */
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.ui = window.SwaggerUIBundle({
    url: target.getAttribute("data-openapi-url") || "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    layout: "BaseLayout",
    presets: [window.SwaggerUIBundle.presets.apis],
  });
})();
