// saferhub: start GOV.UK Frontend.
//
// Loaded at the end of <body> from layouts/base.html as
// <script type="module">, so it runs only in browsers that support ES modules
// (the ones GOV.UK Frontend supports). This replaces the inline snippet from
// GOV.UK's page template, so the site needs no inline script at all (strict
// Content Security Policy). Module scripts are deferred: <body> exists here.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

initAll();
