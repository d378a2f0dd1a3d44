"""Static files in production: compressed and content-hashed (cached for a year), with
`import ... from "./x.js"` in JavaScript modules rewritten to the hashed name as well, so a
module and what it imports are both cached for good and change together."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFiles(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
