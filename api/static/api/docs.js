// Starts Swagger UI on /api/v1/docs/ from a file, so the page needs no inline script under the
// portal's Content-Security-Policy. The API is anonymous and read-only: no credentials, no CSRF.
"use strict";
(function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // Otherwise Swagger UI sends the schema's address to an outside validator for its badge.
    validatorUrl: null,
  });
})();
